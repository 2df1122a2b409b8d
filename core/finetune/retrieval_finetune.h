#pragma once
// The retrieval fine-tune (issue 6): a pretrained run's encoder trained
// further on co-purchased pairs (symmetric InfoNCE, in-batch negatives, the
// copurchase objective of pretraining) from the training baskets only, so
// products bought together end up near each other. The held-out evaluation
// baskets (eval/basket_split.h) are never read; early stopping watches the
// loss on pairs of validation baskets split off the training baskets. The
// result is an ordinary run (kind "finetune-retrieval", parent = the base
// run): embed it, explore it, score it with evaluateRunBaskets.

#include <cstdint>
#include <string>

#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"

namespace pl {

/// What to fine-tune, and how.
struct RetrievalFinetuneOptions {
  std::string runName;  ///< the new run; an existing name is an error
  std::string baseRun;  ///< the pretrained run to start from (needs a checkpoint)
  int epochs = 3;       ///< at most; early stopping may end sooner
  int patience = 1;     ///< epochs without a lower validation loss before stopping
  double lr = 1e-4;     ///< peak (warm-up, then cosine decay over `epochs`)
  double warmupFraction = 0.06;
  int batch = 0;            ///< pairs per step; 0: the base run's batch
  double temperature = 0;   ///< InfoNCE temperature; 0: the base run's
  double validationFraction = 0.1;  ///< of the training baskets
  size_t maxPairs = 2'000'000;      ///< training pairs at most (whole baskets)
  uint64_t seed = 42;
  int threads = 0;  ///< LibTorch intra-op threads; 0: the base run's setting
  /// Folder for the checkpoint (default: "<project>.runs/<run>").
  std::string runDirectory;
};

/// How it ended.
struct RetrievalFinetuneReport {
  int64_t runId = 0;
  std::string status;  ///< finished, stopped
  int epochs = 0;      ///< epochs trained
  int bestEpoch = 0;   ///< whose weights the checkpoint holds (0: the base run's)
  double baseValidationLoss = 0;  ///< before any fine-tuning
  double bestValidationLoss = 0;
  int64_t trainPairs = 0;
  int64_t validationPairs = 0;
  int64_t trainBaskets = 0;
  int64_t validationBaskets = 0;
  int64_t steps = 0;
  double seconds = 0;
};

/// Creates the run, copies the base run's tokenizer and weights, trains,
/// and keeps the weights of the epoch with the lowest validation loss as the
/// run's checkpoint (the base weights when no epoch beats them). Metrics per
/// step: loss, lr, epoch; per epoch (and before the first): val/loss. A stop
/// request keeps the best checkpoint so far and returns status "stopped"; a
/// NaN/Inf loss fails the run and keeps it too.
Result<RetrievalFinetuneReport> runRetrievalFinetuning(Project& project,
                                                       const RetrievalFinetuneOptions& options,
                                                       JobContext& context);

}  // namespace pl
