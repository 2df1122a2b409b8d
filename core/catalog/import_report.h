#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/field_mapping.h"
#include "common/row_issue.h"

namespace pl {

/// What an import did; every refused row is counted, the first
/// kMaxStoredIssues are kept with their reasons.
struct ImportReport {
  static constexpr size_t kMaxStoredIssues = 1000;

  int64_t catalogId = 0;
  FieldMapping mapping;
  int64_t rowsRead = 0;
  int64_t productsImported = 0;
  int64_t badRows = 0;
  int64_t imagesFound = 0;
  int64_t imagesMissing = 0;
  int64_t imagesUndecodable = 0;
  int64_t basketLinesRead = 0;
  int64_t baskets = 0;
  int64_t basketItems = 0;
  int64_t basketBadLines = 0;
  std::vector<RowIssue> issues;
  double seconds = 0;

  void addIssue(RowIssue issue);
};

}  // namespace pl
