#include "catalog/product_builder.h"

#include <cmath>
#include <cstdlib>

#include "common/utf8.h"

namespace pl {

namespace {

void appendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::optional<double> parsePrice(std::string_view text) {
  text = trimAscii(text);
  static const std::string_view symbols[] = {"$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5",
                                             "\xE2\x82\xB9", "Rs.", "Rs", "USD", "EUR"};
  for (auto sym : symbols) {
    if (text.substr(0, sym.size()) == sym) {
      text = trimAscii(text.substr(sym.size()));
      break;
    }
  }
  std::string digits;
  for (char c : text) {
    if (c == ',') continue;  // thousands separator
    digits.push_back(c);
  }
  if (digits.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

ProductBuilder::ProductBuilder(const std::vector<std::string>& header, FieldMapping mapping)
    : mapping_(std::move(mapping)) {
  fieldColumns_.resize(kFieldCount);
  syncHeader(header);
}

int ProductBuilder::indexOf(const std::string& column) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == column) return static_cast<int>(i);
  }
  return -1;
}

void ProductBuilder::syncHeader(const std::vector<std::string>& header) {
  if (header.size() == header_.size()) return;
  size_t first = header_.size();
  header_ = header;
  attributeCounts_.resize(header_.size(), 0);
  for (Field f : allFields()) {
    auto& cols = fieldColumns_[static_cast<int>(f)];
    cols.clear();
    for (const auto& c : mapping_.columns(f)) {
      int idx = indexOf(c);
      if (idx >= 0) cols.push_back(idx);
    }
  }
  for (size_t i = first; i < header_.size(); ++i) {
    if (!mapping_.usesColumn(header_[i])) attributeColumns_.push_back(static_cast<int>(i));
  }
}

std::optional<RowProblem> ProductBuilder::build(const RawRecord& record, int64_t rowNumber,
                                                Product& out) {
  const auto& f = record.fields;
  for (size_t i = 0; i < f.size(); ++i) {
    if (!isValidUtf8(f[i])) {
      return RowProblem{i < header_.size() ? header_[i] : "", "invalid UTF-8 (is the file UTF-8?)"};
    }
  }
  auto value = [&](Field field) -> std::string_view {
    const auto& cols = fieldColumns_[static_cast<int>(field)];
    if (cols.empty() || static_cast<size_t>(cols[0]) >= f.size()) return {};
    return trimAscii(f[cols[0]]);
  };

  if (mapping_.isMapped(Field::Id)) {
    out.id = std::string(value(Field::Id));
    if (out.id.empty()) return RowProblem{mapping_.columns(Field::Id)[0], "empty id"};
  } else {
    out.id = std::to_string(rowNumber);
  }
  out.title = std::string(value(Field::Title));
  if (mapping_.isMapped(Field::Title) && out.title.empty()) {
    return RowProblem{mapping_.columns(Field::Title)[0], "empty title"};
  }
  out.description = std::string(value(Field::Description));
  out.brand = std::string(value(Field::Brand));
  out.image = std::string(value(Field::Image));

  out.category.clear();
  for (int col : fieldColumns_[static_cast<int>(Field::Category)]) {
    if (static_cast<size_t>(col) >= f.size()) continue;
    auto level = trimAscii(f[col]);
    if (level.empty()) continue;
    if (!out.category.empty()) out.category += " > ";
    out.category += level;
  }

  out.price.reset();
  auto priceText = value(Field::Price);
  if (!priceText.empty()) {
    out.price = parsePrice(priceText);
    if (!out.price) {
      return RowProblem{mapping_.columns(Field::Price)[0],
                        "price '" + std::string(priceText.substr(0, 40)) + "' is not a number"};
    }
  }

  auto [seen, isNew] = firstLineOfId_.emplace(out.id, record.line);
  if (!isNew) {
    return RowProblem{mapping_.isMapped(Field::Id) ? mapping_.columns(Field::Id)[0] : "",
                      "duplicate id '" + out.id.substr(0, 60) + "' (first on line " +
                          std::to_string(seen->second) + ")"};
  }

  out.attributesJson.assign("{");
  bool first = true;
  for (int col : attributeColumns_) {
    if (static_cast<size_t>(col) >= f.size()) continue;
    auto v = trimAscii(f[col]);
    if (v.empty()) continue;
    ++attributeCounts_[col];
    if (!first) out.attributesJson.push_back(',');
    first = false;
    appendJsonString(out.attributesJson, header_[col]);
    out.attributesJson.push_back(':');
    appendJsonString(out.attributesJson, v);
  }
  out.attributesJson.push_back('}');
  return std::nullopt;
}

std::vector<std::string> ProductBuilder::attributeNames() const {
  std::vector<std::string> names;
  for (int col : attributeColumns_) names.push_back(header_[col]);
  return names;
}

std::vector<int64_t> ProductBuilder::attributeCounts() const {
  std::vector<int64_t> counts;
  for (int col : attributeColumns_) counts.push_back(attributeCounts_[col]);
  return counts;
}

}  // namespace pl
