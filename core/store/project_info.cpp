#include "store/project_info.h"

#include <nlohmann/json.hpp>

#include "image/image_file.h"

namespace pl {

std::string ProjectInfo::toJson() const {
  nlohmann::json j;
  j["path"] = path;
  j["schema_version"] = schemaVersion;
  j["products"] = products;
  j["with_image"] = withImage;
  j["with_field"] = withField;
  j["with_attribute"] = withAttribute;
  j["categories"] = categories;
  j["baskets"] = baskets;
  j["basket_items"] = basketItems;
  j["bad_rows"] = badRows;
  j["images_missing"] = imagesMissing;
  j["images_undecodable"] = imagesUndecodable;
  j["catalogs"] = nlohmann::json::array();
  for (const auto& c : catalogs) {
    j["catalogs"].push_back({{"id", c.id},
                             {"name", c.name},
                             {"source", c.sourcePath},
                             {"format", c.format},
                             {"imported_at", c.importedAt},
                             {"rows_read", c.rowsRead},
                             {"products", c.products},
                             {"bad_rows", c.badRows},
                             {"images_missing", c.imagesMissing},
                             {"images_undecodable", c.imagesUndecodable}});
  }
  j["runs"] = nlohmann::json::array();
  for (const auto& r : runs) {
    j["runs"].push_back({{"name", r.name},
                         {"kind", r.kind},
                         {"status", r.status},
                         {"message", r.message},
                         {"step", r.step},
                         {"epoch", r.epoch},
                         {"elapsed_seconds", r.elapsedSeconds},
                         {"created_at", r.createdAt},
                         {"config", nlohmann::json::parse(r.configJson, nullptr, false)}});
  }
  // Names from a damaged project may not be UTF-8: shown with U+FFFD
  // instead of throwing (the JSON writer refuses invalid UTF-8).
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ProjectInfo> readProjectInfo(Project& project) {
  ProjectInfo info;
  info.path = project.path();
  try {
    Database& db = project.db();
    info.schemaVersion = project.schemaVersion();
    auto counts = db.prepare(
        "SELECT count(*), sum(image_status = ?), sum(ext_id <> ''), sum(title <> ''), "
        "sum(description <> ''), sum(brand <> ''), sum(category <> ''), sum(price IS NOT NULL), "
        "sum(image <> ''), count(DISTINCT nullif(category, '')) FROM products");
    counts.bind(1, static_cast<int>(ImageStatus::Found));
    if (counts.step()) {
      info.products = counts.int64(0);
      info.withImage = counts.int64(1);
      const char* fields[] = {"id", "title", "description", "brand", "category", "price", "image"};
      for (int i = 0; i < 7; ++i) info.withField[fields[i]] = counts.int64(2 + i);
      info.categories = counts.int64(9);
    }
    auto attrs = db.prepare("SELECT name, sum(non_empty) FROM attributes GROUP BY name ORDER BY name");
    while (attrs.step()) info.withAttribute[attrs.text(0)] = attrs.int64(1);
    info.baskets = db.scalar("SELECT count(*) FROM baskets");
    info.basketItems = db.scalar("SELECT count(*) FROM basket_items");
    auto cats = db.prepare(
        "SELECT c.id, c.name, c.source_path, c.format, c.imported_at, c.rows_read, "
        "(SELECT count(*) FROM products p WHERE p.catalog_id = c.id), c.bad_rows, "
        "c.images_missing, c.images_undecodable FROM catalogs c ORDER BY c.id");
    while (cats.step()) {
      CatalogSummary c{cats.int64(0), cats.text(1),  cats.text(2),  cats.text(3), cats.text(4),
                       cats.int64(5), cats.int64(6), cats.int64(7), cats.int64(8), cats.int64(9)};
      info.badRows += c.badRows;
      info.imagesMissing += c.imagesMissing;
      info.imagesUndecodable += c.imagesUndecodable;
      info.catalogs.push_back(std::move(c));
    }
    info.runs = listRuns(db);
  } catch (const StoreError& e) {
    return Error{project.path() + ": " + e.what()};
  }
  return info;
}

Result<std::vector<RowIssue>> readImportIssues(Project& project, int limit) {
  std::vector<RowIssue> issues;
  try {
    auto st = project.db().prepare(
        "SELECT file, line, field, reason FROM import_issues ORDER BY id LIMIT ?");
    st.bind(1, limit);
    while (st.step()) issues.push_back({st.text(0), st.int64(1), st.text(2), st.text(3)});
  } catch (const StoreError& e) {
    return Error{project.path() + ": " + e.what()};
  }
  return issues;
}

}  // namespace pl
