#pragma once
// The label an evaluation scores against, named the way users think of it:
// "articleType" (a source column that the import mapped to a category level),
// "category:2", "brand", or any attribute column; and the leak guard that
// refuses a label the run has already seen.

#include <string>
#include <vector>

#include "common/result.h"
#include "store/attribute_values.h"
#include "store/sqlite_db.h"
#include "train/run_config.h"

namespace pl {

/// A resolved label: the product field, and how the user named it.
struct LabelField {
  ProductField field;
  std::string name;  ///< as given ("articleType")
  /// "articleType (category level 3)" — for messages and reports.
  std::string describe() const;
};

/// Resolves `name`: "category" (the whole path "A > B > C"), "category:N"
/// (level N), "brand", an
/// attribute column, or a catalog column the field mapping put into the
/// category path. Numeric fields (price) are refused: labels are classes.
Result<LabelField> resolveLabelField(Database& db, const std::string& name);

/// Fails, saying why, when the run used the label's field as an input or as
/// an attr target: its embeddings would have seen the answer.
Status checkNoLabelLeak(const RunConfig& config, const LabelField& label, const std::string& runName);

}  // namespace pl
