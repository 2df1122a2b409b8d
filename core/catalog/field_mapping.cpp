#include "catalog/field_mapping.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace pl {

namespace {

const char* const kNames[kFieldCount] = {"id",       "title", "description", "brand",
                                         "category", "price", "image"};

std::string squash(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '_' || c == '-' || c == ' ' || c == '.') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// Candidate column names per field, best first (already squashed).
const std::map<Field, std::vector<std::string>>& candidates() {
  static const std::map<Field, std::vector<std::string>> table = {
      {Field::Id, {"id", "productid", "sku", "asin", "itemid", "uniqid", "uid", "productcode",
                   "code", "styleid"}},
      {Field::Title, {"title", "producttitle", "productdisplayname", "productname", "name",
                      "itemname", "displayname"}},
      {Field::Description, {"description", "productdescription", "desc", "longdescription",
                            "details", "about", "summary"}},
      {Field::Brand, {"brand", "brandname", "manufacturer", "maker", "vendor", "make"}},
      {Field::Category, {"category", "categories", "categorypath", "productcategory",
                         "productcategorytree", "categorytree", "categoryname"}},
      {Field::Price, {"price", "saleprice", "listprice", "retailprice", "sellingprice", "mrp",
                      "cost", "amount"}},
      {Field::Image, {"image", "imagepath", "imagefile", "imageurl", "img", "picture",
                      "imagelink", "photo", "thumbnail", "images"}},
  };
  return table;
}

// Column families that together form a category path, coarse to fine.
const std::vector<std::vector<std::string>>& categoryFamilies() {
  static const std::vector<std::vector<std::string>> families = {
      {"mastercategory", "subcategory", "articletype"},
      {"category1", "category2", "category3", "category4"},
      {"cat1", "cat2", "cat3", "cat4"},
      {"categorylevel1", "categorylevel2", "categorylevel3"},
      {"level1", "level2", "level3", "level4"},
  };
  return families;
}

std::vector<std::string> splitPath(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, '>')) {
    auto b = part.find_first_not_of(' ');
    auto e = part.find_last_not_of(' ');
    if (b != std::string::npos) parts.push_back(part.substr(b, e - b + 1));
  }
  return parts;
}

std::string joinColumns(const std::vector<std::string>& header) {
  std::string out;
  for (const auto& h : header) out += (out.empty() ? "" : ", ") + h;
  return out;
}

}  // namespace

const char* fieldName(Field field) { return kNames[static_cast<int>(field)]; }

std::optional<Field> fieldFromName(const std::string& name) {
  for (int i = 0; i < kFieldCount; ++i) {
    if (name == kNames[i]) return static_cast<Field>(i);
  }
  return std::nullopt;
}

const std::array<Field, kFieldCount>& allFields() {
  static const std::array<Field, kFieldCount> fields = {
      Field::Id, Field::Title, Field::Description, Field::Brand,
      Field::Category, Field::Price, Field::Image};
  return fields;
}

bool FieldMapping::usesColumn(const std::string& column) const {
  for (const auto& cols : columns_) {
    if (std::find(cols.begin(), cols.end(), column) != cols.end()) return true;
  }
  return false;
}

std::string FieldMapping::toSpec() const {
  std::string out;
  for (Field f : allFields()) {
    if (!isMapped(f)) continue;
    if (!out.empty()) out += ',';
    out += fieldName(f);
    out += '=';
    const auto& cols = columns(f);
    for (size_t i = 0; i < cols.size(); ++i) out += (i ? ">" : "") + cols[i];
  }
  return out;
}

std::string FieldMapping::toJson() const {
  nlohmann::json j = nlohmann::json::object();
  for (Field f : allFields()) {
    if (isMapped(f)) j[fieldName(f)] = columns(f);
  }
  return j.dump();
}

FieldMapping guessMapping(const std::vector<std::string>& header) {
  FieldMapping mapping;
  std::map<std::string, std::string> bySquashed;  // squashed -> first real name
  for (const auto& h : header) bySquashed.emplace(squash(h), h);
  std::vector<std::string> taken;
  auto isTaken = [&](const std::string& col) {
    return std::find(taken.begin(), taken.end(), col) != taken.end();
  };
  for (Field f : allFields()) {
    for (const auto& cand : candidates().at(f)) {
      auto it = bySquashed.find(cand);
      if (it != bySquashed.end() && !isTaken(it->second)) {
        mapping.set(f, {it->second});
        taken.push_back(it->second);
        break;
      }
    }
  }
  if (!mapping.isMapped(Field::Category)) {
    for (const auto& family : categoryFamilies()) {
      std::vector<std::string> cols;
      for (const auto& level : family) {
        auto it = bySquashed.find(level);
        if (it == bySquashed.end()) break;
        cols.push_back(it->second);
      }
      if (cols.size() >= 2) {
        mapping.set(Field::Category, cols);
        break;
      }
    }
  }
  return mapping;
}

namespace {

// Two or more words with a letter among them: "Blue Denim Jacket", not
// "SKU-1234", "12.50" or "Shirts". Scripts written without spaces (Chinese,
// Japanese) count as several words from three multi-byte characters on.
bool isMultiWordText(const std::string& value) {
  bool letter = false;
  int words = 0;
  int multiByteChars = 0;
  bool inWord = false;
  for (unsigned char c : value) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !inWord) ++words;
    inWord = !space;
    if (std::isalpha(c)) letter = true;
    if (c >= 0xC0) ++multiByteChars;  // the lead byte of a UTF-8 sequence
  }
  return (letter && words >= 2) || multiByteChars >= 3;
}

}  // namespace

std::string guessTitleFromContent(const std::vector<std::string>& header,
                                  const std::vector<std::vector<std::string>>& sample,
                                  const FieldMapping& mapping) {
  std::string best;
  size_t bestDistinct = 0;
  for (size_t c = 0; c < header.size(); ++c) {
    if (mapping.usesColumn(header[c])) continue;
    std::set<std::string> distinct;
    for (const auto& row : sample) {
      if (c < row.size() && isMultiWordText(row[c])) distinct.insert(row[c]);
    }
    if (distinct.size() > bestDistinct) {
      bestDistinct = distinct.size();
      best = header[c];
    }
  }
  return bestDistinct * 10 >= sample.size() && bestDistinct > 0 ? best : std::string();
}

FieldMapping guessMapping(const std::vector<std::string>& header,
                          const std::vector<std::vector<std::string>>& sample) {
  FieldMapping mapping = guessMapping(header);
  if (!mapping.isMapped(Field::Title)) {
    std::string column = guessTitleFromContent(header, sample, mapping);
    if (!column.empty()) mapping.set(Field::Title, {column});
  }
  return mapping;
}

Result<FieldMapping> applyMapSpecs(FieldMapping base, const std::vector<std::string>& specs,
                                   const std::vector<std::string>& header) {
  for (const auto& spec : specs) {
    std::stringstream items(spec);
    std::string item;
    while (std::getline(items, item, ',')) {
      if (item.empty()) continue;
      auto eq = item.find('=');
      if (eq == std::string::npos) {
        return Error{"--map item '" + item + "' is not of the form field=column"};
      }
      std::string name = item.substr(0, eq);
      auto field = fieldFromName(name);
      if (!field) {
        return Error{"--map names unknown field '" + name +
                     "'; fields are id, title, description, brand, category, price, image"};
      }
      std::vector<std::string> cols = splitPath(item.substr(eq + 1));
      for (const auto& c : cols) {
        if (std::find(header.begin(), header.end(), c) == header.end()) {
          return Error{"--map " + name + ": the catalog has no column '" + c +
                       "' (columns: " + joinColumns(header) + ")"};
        }
      }
      if (cols.size() > 1 && *field != Field::Category) {
        return Error{"--map " + name + ": only category may combine several columns"};
      }
      base.set(*field, cols);
    }
  }
  return base;
}

}  // namespace pl
