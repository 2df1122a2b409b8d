#include "store/product_filter.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "store/attribute_values.h"
#include "store/label_choices.h"

namespace pl {

namespace {

std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// LIKE is case-insensitive for ASCII, as lower() is: one rule for both paths.
std::string likePattern(const ProductFilter& filter) {
  std::string out = filter.op == ProductFilter::Op::Contains ? "%" : "";
  for (char c : filter.value) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return filter.op == ProductFilter::Op::Equals ? out : out + "%";
}

bool matches(const std::string& value, const ProductFilter& filter, const std::string& needle) {
  const std::string v = lower(value);
  switch (filter.op) {
    case ProductFilter::Op::Contains: return v.find(needle) != std::string::npos;
    case ProductFilter::Op::Equals: return v == needle;
    case ProductFilter::Op::StartsWith: return v.rfind(needle, 0) == 0;
  }
  return false;
}

// The key as the importer wrote it inside the JSON text (see attribute_values.cpp).
std::string storedJsonKey(const std::string& name) {
  std::string quoted = nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::vector<int64_t> idsWhere(Database& db, const std::string& column,
                              const ProductFilter& filter) {
  auto st =
      db.prepare("SELECT id FROM products WHERE " + column + " LIKE ?1 ESCAPE '\\' ORDER BY id");
  st.bind(1, likePattern(filter));
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

std::vector<int64_t> idsOfAttribute(Database& db, const std::string& name,
                                    const ProductFilter& filter) {
  auto st =
      db.prepare("SELECT id FROM products WHERE attributes ->> ?1 LIKE ?2 ESCAPE '\\' ORDER BY id");
  st.bind(1, storedJsonKey(name)).bind(2, likePattern(filter));
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

std::vector<int64_t> idsOfCategoryLevel(Database& db, int level, const ProductFilter& filter) {
  const std::string needle = lower(filter.value);
  auto st = db.prepare("SELECT id, category FROM products ORDER BY id");
  std::vector<int64_t> ids;
  while (st.step()) {
    if (matches(categoryLevel(st.text(1), level), filter, needle)) ids.push_back(st.int64(0));
  }
  return ids;
}

}  // namespace

std::string ProductFilter::describe() const {
  const char* words = op == Op::Contains ? " contains "
                      : op == Op::Equals ? " = "
                                         : " starts with ";
  return field + words + value;
}

Result<ProductFilter> parseProductFilter(const std::string& text) {
  struct Word {
    const char* text;
    ProductFilter::Op op;
  };
  const Word words[] = {{" contains ", ProductFilter::Op::Contains},
                        {" starts with ", ProductFilter::Op::StartsWith},
                        {"=", ProductFilter::Op::Equals}};
  const std::string folded = lower(text);
  size_t best = std::string::npos;
  const Word* found = nullptr;
  for (const Word& w : words) {
    size_t at = folded.find(w.text);
    if (at != std::string::npos && (found == nullptr || at < best)) {
      best = at;
      found = &w;
    }
  }
  if (!found) {
    return Error{"filter '" + text +
                 "': write FIELD contains TEXT, FIELD = TEXT or FIELD starts with TEXT"};
  }
  ProductFilter filter;
  filter.field = trim(text.substr(0, best));
  filter.op = found->op;
  filter.value = trim(text.substr(best + std::string(found->text).size()));
  if (filter.field.empty()) return Error{"filter '" + text + "' names no field"};
  if (filter.value.empty()) return Error{"filter '" + text + "' has no text to compare with"};
  return filter;
}

Result<std::vector<int64_t>> findProductsMatching(Database& db, const ProductFilter& filter) {
  if (filter.value.empty())
    return Error{"the filter on " + filter.field + " has no text to compare with"};
  try {
    const std::string& f = filter.field;
    if (f == "title" || f == "description" || f == "brand" || f == "category")
      return idsWhere(db, f, filter);
    if (f == "id") return idsWhere(db, "ext_id", filter);
    const std::vector<ProductField> fields = listProductFields(db);
    int levels = 0;
    for (const auto& p : fields) levels += p.kind == ProductField::Kind::CategoryLevel;
    int level = 0;
    if (f.rfind("category:", 0) == 0) {
      const std::string digits = f.substr(9);
      if (!digits.empty() && std::all_of(digits.begin(), digits.end(), ::isdigit) &&
          digits.size() < 4) {
        level = std::stoi(digits);
      }
      if (level < 1 || level > levels) {
        return Error{"the products have no category level '" + f.substr(9) + "' (levels 1 to " +
                     std::to_string(levels) + ")"};
      }
      return idsOfCategoryLevel(db, level, filter);
    }
    for (const auto& p : fields) {
      if (p.kind == ProductField::Kind::Attribute && p.name == f)
        return idsOfAttribute(db, f, filter);
    }
    const std::vector<std::string> columns = categoryLevelColumns(db);
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == f && static_cast<int>(columns.size()) == levels) {
        return idsOfCategoryLevel(db, static_cast<int>(i) + 1, filter);
      }
    }
    std::string known = "title, description, id, brand, category";
    for (int l = 1; l <= levels; ++l) known += ", category:" + std::to_string(l);
    for (const auto& p : fields) {
      if (p.kind == ProductField::Kind::Attribute) known += ", " + p.name;
    }
    return Error{"the products have no field '" + f + "' to filter on (available: " + known + ")"};
  } catch (const StoreError& e) {
    return Error{std::string("cannot filter the products: ") + e.what()};
  }
}

}  // namespace pl
