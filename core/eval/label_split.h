#pragma once
// Labelled subsets for fine-tuning and probes, and the one fixed test split
// per label that nothing is ever trained on (stored in the project, so every
// run, baseline and later session is scored on the same products).

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "eval/neighbour_eval.h"
#include "store/sqlite_db.h"

namespace pl {

/// A label's split of its labelled products.
struct LabelSplit {
  std::string label;
  uint64_t seed = 0;
  double testFraction = 0;
  std::vector<int64_t> testIds;   ///< sorted products.id
  std::vector<int64_t> trainIds;  ///< the rest of the labelled products, sorted
};

/// The stored split of `label`; on first use it is drawn (stratified per
/// class: round(testFraction x class size) of each class with at least two
/// products, seeded) and stored. Later calls return the stored one whatever
/// `testFraction` and `seed` say, so the test set never moves.
Result<LabelSplit> ensureLabelSplit(Database& db, const std::string& label, const LabelledItems& items,
                                    double testFraction = 0.2, uint64_t seed = 1);

/// Stores a test split the catalog itself defines (a dataset's standard test
/// set, as the demo's 10,000 Fashion-MNIST test images) unless `label`
/// already has one; ensureLabelSplit returns it from then on. Stored with
/// seed 0, which drawn splits never use, so the UI can say where it came from.
void storeCatalogLabelSplit(Database& db, const std::string& label, std::vector<int64_t> testIds,
                            int64_t labelled);

/// A stratified share of `trainIds` (each class keeps round(fraction x size),
/// at least one product), seeded; fraction 1 returns them all. Sorted.
std::vector<int64_t> labelledSubset(const std::vector<int64_t>& trainIds, const LabelledItems& items,
                                    double fraction, uint64_t seed);

}  // namespace pl
