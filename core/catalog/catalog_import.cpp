#include "catalog/catalog_import.h"

#include <chrono>

#include "catalog/basket_import.h"
#include "catalog/product_builder.h"
#include "image/image_file.h"
#include "image/images_root.h"

namespace pl {

namespace {

std::string directoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string fileNameOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

const char* kCancelled = "import cancelled; the project is unchanged";

// The first records of the catalog, for guesses made from content.
std::vector<std::vector<std::string>> sampleRecords(const std::string& path, CatalogFormat format) {
  std::vector<std::vector<std::string>> rows;
  auto reader = openCatalogReader(path, format);
  if (!reader) return rows;
  RawRecord record;
  std::string reason;
  while (static_cast<int>(rows.size()) < kTitleGuessSampleRows) {
    ReadOutcome r = (*reader)->next(record, reason);
    if (r == ReadOutcome::End) break;
    if (r == ReadOutcome::Record) rows.push_back(record.fields);
  }
  return rows;
}

/// Reads every record into products; returns the new catalog's id.
Result<int64_t> importProducts(Database& db, const ImportOptions& options, ImportReport& report,
                               JobContext& context) {
  const std::string& path = options.catalogPath;
  auto reader = openCatalogReader(path, options.format);
  if (!reader) return reader.error();
  RecordReader& in = **reader;

  // The title from content only when neither a column name nor the user
  // named one (a --map title= that unmaps it is respected).
  auto mapping = applyMapSpecs(
      options.mapping ? *options.mapping
                      : guessMapping(in.header(), sampleRecords(path, options.format)),
      options.mapSpecs, in.header());
  if (!mapping) return mapping.error();
  report.mapping = *mapping;
  ProductBuilder builder(in.header(), *mapping);

  std::string imagesRoot = options.imagesRoot.empty() ? directoryOf(path) : options.imagesRoot;
  const ImagesRoot pictures(imagesRoot, options.allowOutsideImagesRoot);
  const std::string imageColumn =
      mapping->isMapped(Field::Image) ? mapping->columns(Field::Image)[0] : std::string("image");
  CatalogFormat format = options.format == CatalogFormat::Auto ? formatFromPath(path)
                                                               : options.format;
  auto insertCatalog = db.prepare(
      "INSERT INTO catalogs(name, source_path, format, images_root, mapping_json) "
      "VALUES (?, ?, ?, ?, ?)");
  insertCatalog
      .bind(1, options.catalogName.empty() ? fileNameOf(path) : options.catalogName)
      .bind(2, path)
      .bind(3, formatName(format))
      .bind(4, imagesRoot)
      .bind(5, mapping->toJson())
      .run();
  const int64_t catalogId = db.lastInsertId();

  auto insertProduct = db.prepare(
      "INSERT INTO products(catalog_id, ext_id, title, description, brand, category, price, "
      "image, image_status, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  RawRecord record;
  Product product;
  std::string reason;
  for (int64_t row = 1;; ++row) {
    if ((row & 1023) == 0 && context.stopRequested()) return Error{kCancelled};
    ReadOutcome r = in.next(record, reason);
    if (r == ReadOutcome::End) break;
    ++report.rowsRead;
    if ((row & 255) == 0) context.progress(in.bytesRead(), in.totalBytes(), "Reading catalog");
    std::optional<RowProblem> problem;
    if (r == ReadOutcome::Bad) {
      problem = RowProblem{"", reason};
    } else {
      builder.syncHeader(in.header());
      problem = builder.build(record, row, product);
    }
    if (problem) {
      ++report.badRows;
      RowIssue issue{path, record.line, problem->field, problem->reason};
      if (options.strict) return Error{issue.describe() + " (--strict: nothing was imported)"};
      report.addIssue(std::move(issue));
      continue;
    }
    const ImageReference picture = pictures.resolve(product.image);
    ImageStatus image = picture.refused.empty() ? checkImageFile(picture.path) : ImageStatus::Missing;
    if (!picture.refused.empty()) report.addIssue(RowIssue{path, record.line, imageColumn, picture.refused});
    report.imagesFound += image == ImageStatus::Found;
    report.imagesMissing += image == ImageStatus::Missing;
    report.imagesUndecodable += image == ImageStatus::Undecodable;
    insertProduct.bind(1, catalogId)
        .bind(2, product.id)
        .bind(3, product.title)
        .bind(4, product.description)
        .bind(5, product.brand)
        .bind(6, product.category)
        .bind(7, product.price)
        .bind(8, product.image)
        .bind(9, static_cast<int>(image))
        .bind(10, product.attributesJson);
    insertProduct.run();
    ++report.productsImported;
  }
  context.progress(in.totalBytes(), in.totalBytes(), "Reading catalog");
  if (report.productsImported == 0) {
    return Error{path + ": no product could be imported (" + std::to_string(report.badRows) +
                 " bad rows" +
                 (report.issues.empty() ? "" : "; first: " + report.issues[0].describe()) + ")"};
  }

  auto insertAttribute = db.prepare(
      "INSERT INTO attributes(catalog_id, name, position, non_empty) VALUES (?, ?, ?, ?)");
  auto names = builder.attributeNames();
  auto counts = builder.attributeCounts();
  for (size_t i = 0; i < names.size(); ++i) {
    insertAttribute.bind(1, catalogId).bind(2, names[i]).bind(3, static_cast<int64_t>(i));
    insertAttribute.bind(4, counts[i]).run();
  }
  return catalogId;
}

Result<int64_t> newestCatalog(Database& db) {
  int64_t id = db.scalar("SELECT coalesce(max(id), 0) FROM catalogs");
  if (id == 0) return Error{"the project has no catalog to attach baskets to; import one first"};
  return id;
}

void saveSummary(Database& db, const ImportReport& report, bool newCatalog) {
  if (newCatalog) {
    auto update = db.prepare(
        "UPDATE catalogs SET rows_read = ?, bad_rows = ?, images_missing = ?, "
        "images_undecodable = ? WHERE id = ?");
    update.bind(1, report.rowsRead).bind(2, report.badRows).bind(3, report.imagesMissing);
    update.bind(4, report.imagesUndecodable).bind(5, report.catalogId).run();
  }
  auto insertIssue = db.prepare(
      "INSERT INTO import_issues(catalog_id, file, line, field, reason) VALUES (?, ?, ?, ?, ?)");
  for (const auto& issue : report.issues) {
    insertIssue.bind(1, report.catalogId).bind(2, issue.file).bind(3, issue.line);
    insertIssue.bind(4, issue.field).bind(5, issue.reason).run();
  }
}

}  // namespace

Result<ImportReport> importCatalog(Project& project, const ImportOptions& options,
                                   JobContext& context) {
  auto started = std::chrono::steady_clock::now();
  if (options.catalogPath.empty() && options.basketsPath.empty()) {
    return Error{"nothing to import: give a catalog file or a baskets file"};
  }
  Database& db = project.db();
  ImportReport report;
  try {
    Transaction tx(db);
    bool newCatalog = !options.catalogPath.empty();
    auto catalogId = newCatalog ? importProducts(db, options, report, context) : newestCatalog(db);
    if (!catalogId) return catalogId.error();
    report.catalogId = *catalogId;
    if (!options.basketsPath.empty()) {
      Status s = importBaskets(db, report.catalogId, options, report, context);
      if (!s) return s.error();
    }
    if (context.stopRequested()) return Error{kCancelled};
    saveSummary(db, report, newCatalog);
    context.progress(1, 1, "Saving");
    tx.commit();
  } catch (const StoreError& e) {
    return Error{"import into " + project.path() + " failed, nothing was saved: " + e.what()};
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace pl
