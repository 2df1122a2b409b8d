#pragma once
#include <optional>
#include <string>
#include <vector>

#include "catalog/field_mapping.h"
#include "catalog/import_report.h"
#include "catalog/record_reader.h"
#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"

namespace pl {

/// What to import and how.
struct ImportOptions {
  std::string catalogPath;  ///< empty: import baskets only, into the newest catalog
  CatalogFormat format = CatalogFormat::Auto;
  /// Explicit mapping (the GUI's dialog); when absent the guess is used.
  std::optional<FieldMapping> mapping;
  std::vector<std::string> mapSpecs;  ///< --map items applied on top
  std::string imagesRoot;             ///< default: the catalog's folder
  /// Read pictures whose path leaves the images root (`..`, an absolute path
  /// elsewhere, a link pointing out). Off: they count as missing, each with
  /// an issue naming its line (a catalog from elsewhere must not make the
  /// import probe, or training read, any file the user can).
  bool allowOutsideImagesRoot = false;
  std::string catalogName;            ///< default: the file name
  bool strict = false;                ///< fail on the first bad row

  std::string basketsPath;      ///< optional co-purchase file
  std::string basketOrderColumn;  ///< default: guessed (order_id, basket_id, ...)
  std::string basketItemColumn;   ///< default: guessed (product_id, item_id, ...)
};

/// Imports a catalog (and optionally its baskets) into the project as one
/// transaction: on any failure or a stop request the project is left
/// exactly as it was. Bad rows are skipped and reported unless `strict`.
Result<ImportReport> importCatalog(Project& project, const ImportOptions& options,
                                   JobContext& context);

}  // namespace pl
