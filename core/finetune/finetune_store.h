#pragma once
// A fine-tuned run's classifier in the project (schema 6, finetune_heads):
// what it predicts and the linear head on the product vector. The encoder is
// the run's ordinary checkpoint.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/project.h"

namespace pl {

/// The classifier of a fine-tuned run. logits = weight x embedding + bias,
/// on the run's L2-normalised product vector (any scale used in training is
/// folded into `weight`), so it also applies to the stored embeddings of a
/// run that is not whitened.
struct FinetuneHead {
  std::string baseRun;  ///< "" for random initialisation
  std::string labelName;
  std::string mode;  ///< probe | full
  double fraction = 1;
  std::vector<std::string> classNames;
  int64_t dim = 0;
  std::vector<float> weight;  ///< classes x dim, row-major
  std::vector<float> bias;    ///< classes
  std::string optionsJson;
  int classes() const { return static_cast<int>(classNames.size()); }
};

/// Stores (replacing) the run's classifier.
void saveFinetuneHead(Database& db, int64_t runId, const FinetuneHead& head);
/// The run's classifier; nullopt when it has none or the row is damaged.
std::optional<FinetuneHead> loadFinetuneHead(Database& db, int64_t runId);

/// Deletes a fine-tuning run (its rows, by cascade, and its checkpoint and
/// tokenizer files). Refuses a run of another kind: only fine-tuning runs are
/// replaced automatically. A missing run is not an error.
Status deleteFinetuneRun(Project& project, const std::string& runName);

/// "<label>-10pct" style tag for run names: the label with characters other
/// than letters, digits, '-', '_' and '.' replaced, and the share in percent.
std::string finetuneRunTag(const std::string& label, double fraction);

}  // namespace pl
