#include "store/label_choices.h"

#include <nlohmann/json.hpp>

#include "store/attribute_values.h"

namespace pl {

std::vector<std::string> categoryLevelColumns(Database& db) {
  auto st = db.prepare("SELECT mapping_json FROM catalogs ORDER BY id");
  while (st.step()) {
    auto mapping = nlohmann::json::parse(st.text(0), nullptr, /*allow_exceptions=*/false);
    if (!mapping.is_object() || !mapping.contains("category")) continue;
    const auto& columns = mapping["category"];
    if (!columns.is_array() || columns.empty()) continue;
    std::vector<std::string> names;
    for (const auto& column : columns)
      names.push_back(column.is_string() ? column.get<std::string>() : "");
    return names;
  }
  return {};
}

std::vector<LabelChoice> listLabelChoices(Database& db) {
  const std::vector<ProductField> fields = listProductFields(db);
  std::vector<std::string> columns = categoryLevelColumns(db);
  // A column of whole paths ("A > B > C") names no single level: columns
  // name levels only when there is one per level.
  size_t levels = 0;
  for (const auto& f : fields) levels += f.kind == ProductField::Kind::CategoryLevel;
  if (columns.size() != levels) columns.clear();
  std::vector<LabelChoice> choices;
  for (const ProductField& field : fields) {
    LabelChoice choice;
    choice.splitKey = field.label();
    switch (field.kind) {
      case ProductField::Kind::CategoryLevel: {
        const auto level = static_cast<size_t>(field.level);
        std::string column = level <= columns.size() ? columns[level - 1] : "";
        if (column == "category") column.clear();
        const std::string levelName = "category level " + std::to_string(field.level);
        choice.name = column.empty() ? "category:" + std::to_string(field.level) : column;
        choice.display = column.empty() ? field.label() : column + " (" + levelName + ")";
        break;
      }
      case ProductField::Kind::Brand:
        choice.name = "brand";
        choice.display = field.label();
        break;
      case ProductField::Kind::Price: continue;
      case ProductField::Kind::Attribute:
        choice.name = field.name;
        choice.display = field.name;
        break;
    }
    choices.push_back(std::move(choice));
  }
  if (levels > 1) {  // the whole path is a label of its own, after its levels
    ProductField path{ProductField::Kind::CategoryLevel, 0, {}};
    choices.insert(choices.begin() + static_cast<std::ptrdiff_t>(levels),
                   LabelChoice{"category", "Category path (all levels)", path.label()});
  }
  return choices;
}

std::optional<StoredLabelSplit> findStoredLabelSplit(Database& db, const std::string& splitKey) {
  auto st = db.prepare(
      "SELECT length(test_ids) / 8, labelled, seed, test_fraction, created_at FROM label_splits "
      "WHERE label = ?");
  st.bind(1, splitKey);
  if (!st.step()) return std::nullopt;
  StoredLabelSplit split;
  split.testItems = st.int64(0);
  split.labelledItems = st.int64(1);
  split.seed = static_cast<uint64_t>(st.int64(2));
  split.testFraction = st.real(3);
  split.createdAt = st.text(4);
  return split;
}

}  // namespace pl
