#pragma once
// The labels a person can fine-tune and evaluate on, named as
// resolveLabelField (eval/label_field.h) takes them, and what the project
// already stored about each label's fixed test split. Read-only queries for
// the Fine-tune page and reports; the split itself is drawn by
// eval/label_split.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite_db.h"

namespace pl {

/// One label offered in a chooser.
struct LabelChoice {
  /// What resolveLabelField takes: a catalog column the import put into the
  /// category path ("articleType"), else "category:N"; "brand"; an attribute column.
  std::string name;
  /// What a person reads: "articleType (category level 3)", "Brand", "colour".
  std::string display;
  /// The key its test split is stored under (ProductField::label()).
  std::string splitKey;
};

/// Every categorical field of the products (price is left out: labels are
/// classes), category levels first, in the order of listProductFields.
std::vector<LabelChoice> listLabelChoices(Database& db);

/// The columns the first catalog's field mapping built the category path
/// from, in order (index 0 is level 1 when there is one column per level).
std::vector<std::string> categoryLevelColumns(Database& db);

/// A label's stored test split, as far as the page shows it.
struct StoredLabelSplit {
  int64_t testItems = 0;
  int64_t labelledItems = 0;  ///< labelled products when it was drawn
  uint64_t seed = 0;
  double testFraction = 0;
  std::string createdAt;
};

/// The split stored under `splitKey`, or nothing while none was drawn.
std::optional<StoredLabelSplit> findStoredLabelSplit(Database& db, const std::string& splitKey);

}  // namespace pl
