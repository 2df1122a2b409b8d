#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/row_issue.h"
#include "store/project.h"
#include "store/run_store.h"

namespace pl {

/// One catalog's import summary.
struct CatalogSummary {
  int64_t id = 0;
  std::string name;
  std::string sourcePath;
  std::string format;
  std::string importedAt;
  int64_t rowsRead = 0;
  int64_t products = 0;
  int64_t badRows = 0;
  int64_t imagesMissing = 0;
  int64_t imagesUndecodable = 0;
};

/// Counts that `productlens-cli info` prints and the Data page shows.
struct ProjectInfo {
  std::string path;
  int schemaVersion = 0;
  int64_t products = 0;
  int64_t withImage = 0;
  std::map<std::string, int64_t> withField;      ///< canonical field -> non-empty count
  std::map<std::string, int64_t> withAttribute;  ///< attribute -> non-empty count
  int64_t categories = 0;                         ///< distinct category paths
  int64_t baskets = 0;
  int64_t basketItems = 0;
  int64_t badRows = 0;
  int64_t imagesMissing = 0;
  int64_t imagesUndecodable = 0;
  std::vector<CatalogSummary> catalogs;
  std::vector<RunRecord> runs;

  std::string toJson() const;
};

/// Collects the counts (one pass over products).
Result<ProjectInfo> readProjectInfo(Project& project);

/// The first `limit` refused rows recorded by imports, oldest first.
Result<std::vector<RowIssue>> readImportIssues(Project& project, int limit);

}  // namespace pl
