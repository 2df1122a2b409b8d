#include "eval/label_field.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace pl {

namespace {

// The input name a run config uses for the field ("category", "brand", the
// attribute column).
std::string inputNameOf(const ProductField& field) {
  switch (field.kind) {
    case ProductField::Kind::CategoryLevel: return "category";
    case ProductField::Kind::Brand: return "brand";
    case ProductField::Kind::Price: return "price";
    case ProductField::Kind::Attribute: return field.name;
  }
  return field.name;
}

// Level (1-based) of `column` in any catalog's category mapping, or 0.
int mappedCategoryLevel(Database& db, const std::string& column) {
  auto st = db.prepare("SELECT mapping_json FROM catalogs");
  while (st.step()) {
    auto mapping = nlohmann::json::parse(st.text(0), nullptr, /*allow_exceptions=*/false);
    if (!mapping.is_object() || !mapping.contains("category") || !mapping["category"].is_array()) continue;
    const auto& columns = mapping["category"];
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].is_string() && columns[i].get<std::string>() == column) return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

}  // namespace

std::string LabelField::describe() const {
  std::string label = field.label();
  return label == name ? name : name + " (" + label + ")";
}

Result<LabelField> resolveLabelField(Database& db, const std::string& name) {
  auto fields = listProductFields(db);
  int deepest = 0;
  for (const auto& f : fields) {
    if (f.kind == ProductField::Kind::CategoryLevel) deepest = std::max(deepest, f.level);
  }
  auto categoryField = [&](int level) -> Result<LabelField> {
    if (level == 0 && deepest > 0) {  // the whole path
      ProductField f;
      f.kind = ProductField::Kind::CategoryLevel;
      f.level = deepest > 1 ? 0 : 1;  // one level is its own path
      return LabelField{f, name};
    }
    if (level < 1 || level > deepest) {
      return Error{"the products have no category level " + std::to_string(level) +
                   (deepest > 0 ? " (levels 1 to " + std::to_string(deepest) + ")" : "")};
    }
    ProductField f;
    f.kind = ProductField::Kind::CategoryLevel;
    f.level = level;
    return LabelField{f, name};
  };
  if (name == "category" || name == "category:path") return categoryField(0);
  if (name.rfind("category:", 0) == 0) {
    const std::string digits = name.substr(9);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) {
      return Error{"label '" + name + "': write category (the whole path) or category:N with N a "
                   "level number"};
    }
    if (digits.size() > 3) return categoryField(-1);
    return categoryField(std::stoi(digits));
  }
  if (name == "price") return Error{"price is a number, not a class; choose a categorical label"};
  for (const auto& f : fields) {
    if ((f.kind == ProductField::Kind::Brand && name == "brand") ||
        (f.kind == ProductField::Kind::Attribute && f.name == name)) {
      return LabelField{f, name};
    }
  }
  if (int level = mappedCategoryLevel(db, name); level > 0) return categoryField(level);
  std::string known = deepest > 1 ? "category (the whole path)" : "";
  for (const auto& f : fields) {
    if (f.kind == ProductField::Kind::Price) continue;
    known += (known.empty() ? "" : ", ") +
             (f.kind == ProductField::Kind::CategoryLevel ? "category:" + std::to_string(f.level)
                                                          : inputNameOf(f));
  }
  return Error{"the project has no label field '" + name + "' (available: " + known + ")"};
}

Status checkNoLabelLeak(const RunConfig& config, const LabelField& label, const std::string& runName) {
  const std::string input = inputNameOf(label.field);
  auto has = [&](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), input) != names.end();
  };
  if (has(config.inputs)) {
    return Error{"run '" + runName + "' used " + input + " as an input, so its embeddings have seen " +
                 label.describe() + "; evaluating on it would overstate them. Choose another label "
                 "or a run without that input"};
  }
  if (config.uses("attr") && has(config.effectiveAttrTargets())) {
    return Error{"run '" + runName + "' was trained to predict " + input + " (attr objective), so " +
                 label.describe() + " is not an honest evaluation label for it"};
  }
  return {};
}

}  // namespace pl
