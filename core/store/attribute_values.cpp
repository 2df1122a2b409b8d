#include "store/attribute_values.h"

#include <algorithm>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace pl {

namespace {

const std::string kSeparator = " > ";

// The key as it is written inside the stored JSON text (the importer writes
// it with nlohmann): SQLite's ->> matches a label against that raw text, and
// its json_extract paths cannot name keys that contain a double quote.
// A name that is not UTF-8 (only a damaged project has one: import checks)
// is written with U+FFFD, which matches nothing, instead of throwing
// (found by fuzz_project).
std::string storedJsonKey(const std::string& name) {
  std::string quoted = nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::string selectFor(const ProductField& field) {
  switch (field.kind) {
    case ProductField::Kind::CategoryLevel: return "SELECT id, category FROM products";
    case ProductField::Kind::Brand: return "SELECT id, brand FROM products";
    case ProductField::Kind::Price: return "SELECT id, price FROM products";
    case ProductField::Kind::Attribute:
      return "SELECT id, attributes ->> ?1 FROM products";
  }
  return {};
}

}  // namespace

std::string ProductField::label() const {
  switch (kind) {
    case Kind::CategoryLevel:
      return level <= 0 ? std::string("Category path") : "Category level " + std::to_string(level);
    case Kind::Brand: return "Brand";
    case Kind::Price: return "Price";
    case Kind::Attribute: return name;
  }
  return name;
}

std::string categoryLevel(const std::string& path, int level) {
  if (level <= 0) return path;
  size_t start = 0;
  for (int l = 1; l < level; ++l) {
    size_t next = path.find(kSeparator, start);
    if (next == std::string::npos) return {};
    start = next + kSeparator.size();
  }
  size_t end = path.find(kSeparator, start);
  return path.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::vector<ProductField> listProductFields(Database& db) {
  std::vector<ProductField> fields;
  // Separators in the deepest path: one scan, no splitting in SQL.
  int64_t separators = db.scalar(
      "SELECT coalesce(max((length(category) - length(replace(category, ' > ', ''))) / 3), -1) "
      "FROM products WHERE category != ''");
  for (int level = 1; level <= separators + 1; ++level) {
    fields.push_back({ProductField::Kind::CategoryLevel, level, {}});
  }
  if (db.scalar("SELECT EXISTS(SELECT 1 FROM products WHERE brand != '')")) {
    fields.push_back({ProductField::Kind::Brand, 0, {}});
  }
  if (db.scalar("SELECT EXISTS(SELECT 1 FROM products WHERE price IS NOT NULL)")) {
    fields.push_back({ProductField::Kind::Price, 0, {}});
  }
  auto names = db.prepare(
      "SELECT name FROM attributes GROUP BY name ORDER BY min(position), name");
  while (names.step()) fields.push_back({ProductField::Kind::Attribute, 0, names.text(0)});
  return fields;
}

std::vector<std::string> loadFieldValues(Database& db, const ProductField& field,
                                         const std::vector<int64_t>& rowIds) {
  std::vector<std::string> values(rowIds.size());
  // Where each product's value goes; the map's rows are normally in id order,
  // then a merge walk would do, but a hash keeps any order correct.
  std::unordered_map<int64_t, size_t> slot;
  slot.reserve(rowIds.size());
  for (size_t i = 0; i < rowIds.size(); ++i) slot.emplace(rowIds[i], i);
  auto st = db.prepare(selectFor(field));
  if (field.kind == ProductField::Kind::Attribute) st.bind(1, storedJsonKey(field.name));
  while (st.step()) {
    auto it = slot.find(st.int64(0));
    if (it == slot.end() || st.isNull(1)) continue;
    std::string value = st.text(1);
    if (field.kind == ProductField::Kind::CategoryLevel) value = categoryLevel(value, field.level);
    values[it->second] = std::move(value);
  }
  return values;
}

}  // namespace pl
