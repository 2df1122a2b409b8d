#include "ui/pretrain/project_facts.h"

#include <algorithm>

#include "image/product_images.h"
#include "store/sqlite_db.h"

namespace pl::ui {

namespace {

const char* const kColumnFields[] = {"title", "description", "brand", "category"};

bool isColumnField(const std::string& field) {
  return std::find(std::begin(kColumnFields), std::end(kColumnFields), field) !=
         std::end(kColumnFields);
}

}  // namespace

bool ProjectFacts::hasField(const std::string& name) const {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const FieldInfo& f) { return f.name == name; });
}

ProjectFacts readProjectFacts(Database& db) {
  ProjectFacts facts;
  facts.open = true;
  auto counts = db.prepare(
      "SELECT count(*), total(title <> ''), total(description <> ''), total(brand <> ''), "
      "total(category <> ''), total(price IS NOT NULL), "
      "total(length(title)), total(length(description)) FROM products");
  if (counts.step()) {
    facts.products = counts.int64(0);
    const char* names[] = {"title", "description", "brand", "category", "price"};
    for (int k = 0; k < 5; ++k) {
      FieldInfo f;
      f.name = names[k];
      f.isText = k < 2;
      f.nonEmpty = static_cast<int64_t>(counts.real(k + 1));
      facts.fields.push_back(f);
    }
    if (facts.products > 0) {
      facts.meanTitleChars = counts.real(6) / static_cast<double>(facts.products);
      facts.meanDescriptionChars = counts.real(7) / static_cast<double>(facts.products);
    }
  }
  // Attributes of several catalogs merge by name; catalog order, first seen wins.
  auto attributes = db.prepare(
      "SELECT name, sum(non_empty) FROM attributes GROUP BY name ORDER BY min(catalog_id), "
      "min(position)");
  while (attributes.step()) {
    FieldInfo f;
    f.name = attributes.text(0);
    if (facts.hasField(f.name)) continue;  // a column literally named "brand" etc.
    f.isAttribute = true;
    f.nonEmpty = attributes.int64(1);
    facts.fields.push_back(f);
  }
  const int64_t pictured = countPicturedProducts(db);
  if (pictured > 0 && !facts.hasField("image")) {
    FieldInfo f;
    f.name = "image";
    f.isImage = true;
    f.nonEmpty = pictured;
    facts.fields.push_back(f);
  }
  facts.basketItems = db.scalar("SELECT count(*) FROM basket_items");
  return facts;
}

int64_t fieldCardinality(Database& db, const std::string& field) {
  constexpr int64_t kReserved = 2;                  // <unknown>, <hidden>
  if (field == "price") return 16 + 1 + kReserved;  // log-scale buckets, see priceBucket()
  // Column names come from a fixed list; attribute names are bound, never spliced.
  std::string value =
      isColumnField(field) ? field : "json_extract(attributes, '$.\"' || ? || '\"')";
  auto st = db.prepare("SELECT count(*) FROM (SELECT " + value +
                       " AS v FROM products WHERE v IS NOT NULL AND v <> '' GROUP BY v "
                       "HAVING count(*) >= 2)");
  if (!isColumnField(field)) st.bind(1, field);
  return (st.step() ? st.int64(0) : 0) + kReserved;
}

double estimatedTokens(const ProjectFacts& facts, const RunConfig& config) {
  double tokens = 1.0;  // [CLS]
  for (const auto& field : config.textInputs()) {
    tokens += (field == "title" ? facts.meanTitleChars : facts.meanDescriptionChars) / 4.5 + 1.0;
  }
  return tokens;
}

}  // namespace pl::ui
