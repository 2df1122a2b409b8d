#pragma once
// Fine-tuning a product encoder on a labelled subset: a classification head
// on the product vector, trained with the encoder frozen (probe) or with it
// (full, lower learning rate for the encoder), from a pretrained run or from
// random initialisation (the 'no pretraining' control). Early stopping on a
// validation slice of the training subset; the label's fixed test split
// (eval/label_split.h) is never trained on and gives the reported scores.
// CONTRACT shared by the CLI and ui/finetune: extend, don't break.

#include <cstdint>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "eval/classification_metrics.h"
#include "store/project.h"
#include "train/run_config.h"

namespace pl {

enum class FinetuneMode { Probe, Full };
/// "probe" | "full".
Result<FinetuneMode> parseFinetuneMode(const std::string& name);
std::string finetuneModeName(FinetuneMode mode);

/// What to fine-tune, on which labels.
struct FinetuneOptions {
  std::string runName;  ///< the new run (kind "finetune"); an existing name is an error
  /// Pretrained run to start from; empty: random initialisation with
  /// `scratchConfig` (its tokenizer is trained on the catalog as in pretraining).
  std::string baseRun;
  RunConfig scratchConfig;
  std::string label;  ///< label field, as resolveLabelField() takes it
  FinetuneMode mode = FinetuneMode::Full;
  /// Share of the label's training split (stratified, seeded; 1 = all).
  double fraction = 1;
  /// When not empty: exactly these products (a filter's result or a hand-
  /// picked selection), intersected with the training split; `fraction` is
  /// then ignored. Products in the test split are dropped, and counted.
  std::vector<int64_t> subsetIds;
  uint64_t subsetSeed = 1;
  double validationFraction = 0.1;  ///< of the subset, for early stopping
  int maxEpochs = 30;
  int patience = 3;  ///< epochs without a better validation score before stopping
  int batch = 128;
  double headLr = 1e-3;
  /// Full mode only; scratch runs use headLr for both. 3e-4 (below the
  /// pretraining peak of 5e-4): on Myntra articleType it beat 1e-4 at 1% and
  /// 10% of the labels and tied at 100% (docs/benchmarks_finetune.md).
  double encoderLr = 3e-4;
  double weightDecay = 0.01;
  uint64_t seed = 42;
  int threads = 0;  ///< LibTorch intra-op threads; 0: auto
  /// Folder for the checkpoint (default: "<project>.runs/<run>").
  std::string runDirectory;
};

/// How it ended and how it scored.
struct FinetuneReport {
  int64_t runId = 0;
  std::string status;  ///< finished, stopped
  int epochs = 0;      ///< epochs trained
  /// The one whose weights were kept (1-based); 0 in full mode means the
  /// start: the head fitted on the frozen encoder (see finetune_job.cpp).
  int bestEpoch = 0;
  double bestValidationAccuracy = 0;
  int64_t trainItems = 0;
  int64_t validationItems = 0;
  int64_t droppedTestItems = 0;  ///< hand-picked products that were in the test split
  ClassificationScores test;     ///< on the label's fixed test split
  double seconds = 0;
};

/// Trains, keeps the best-validation weights as the run's checkpoint (so the
/// run can be embedded, explored and exported like any other), scores the
/// test split and stores the result (eval/eval_results.h; method
/// "finetune-probe", "finetune-full" or "scratch-full"). The leak guard
/// refuses a base run that saw the label. Metrics per step: loss, lr, epoch;
/// per epoch: val/loss, val/accuracy. A stop request keeps the best weights
/// so far and returns status "stopped".
Result<FinetuneReport> runFinetuning(Project& project, const FinetuneOptions& options,
                                     JobContext& context);

/// Labels every product (or only those without the label when
/// `unlabelledOnly`) with a fine-tuned run's classifier and stores the
/// predictions (eval/eval_results.h). Returns how many were labelled.
Result<int64_t> predictWithRun(Project& project, const std::string& runName, bool unlabelledOnly,
                               JobContext& context);

}  // namespace pl
