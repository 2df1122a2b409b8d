#include "catalog/import_report.h"

namespace pl {

void ImportReport::addIssue(RowIssue issue) {
  if (issues.size() < kMaxStoredIssues) issues.push_back(std::move(issue));
}

}  // namespace pl
