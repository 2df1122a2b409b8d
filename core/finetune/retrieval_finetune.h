#pragma once
// The retrieval fine-tune (issue 6): a pretrained run's encoder trained
// further on co-purchased pairs from the training baskets only, so products
// bought together end up near each other. The loss is the copurchase
// objective's symmetric InfoNCE, but its negatives are products drawn
// uniformly from the whole catalog (by default instead of the batch's other
// pairs). With in-batch negatives only, products nobody bought are never
// pushed away: on Instacart the fine-tuned "Banana" still found "Banana
// Chips" and "Banana Pudding" first (all vectors drew together, cosine
// 0.98). And in-batch negatives are drawn in proportion to how often a
// product is bought, so they teach lift (rare, specific companions) where a
// basket is mostly staples; uniform negatives estimate the full softmax,
// P(partner | product). Validation Recall@10 on Instacart: 0.005 (base),
// 0.0075 in-batch, 0.033 with 128 uniform ones (docs/benchmarks.md). The
// held-out evaluation baskets (eval/basket_split.h) are never read; early
// stopping watches Recall@10 on validation baskets split off the training
// baskets (ties: their loss). The result is an ordinary run (kind
// "finetune-retrieval", parent = the base run): embed it, explore it, score
// it with evaluateRunBaskets.

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
  int epochs = 5;       ///< at most; early stopping may end sooner
  int patience = 2;     ///< epochs without a better validation score before stopping
  double lr = 1e-3;     ///< peak (warm-up, then cosine decay over `epochs`)
  double warmupFraction = 0.06;
  int batch = 0;            ///< pairs per step; 0: the base run's batch
  double temperature = 0;   ///< InfoNCE temperature; 0: the base run's
  double validationFraction = 0.1;  ///< of the training baskets
  size_t maxPairs = 2'000'000;      ///< training pairs at most (whole baskets)
  /// Products drawn uniformly from the catalog per step as negatives
  /// (0: in-batch negatives only).
  int catalogNegatives = 128;
  /// Also the other pairs of the batch as negatives (the copurchase
  /// objective's in-batch InfoNCE). Always on without catalog negatives.
  bool inBatchNegatives = false;
  size_t validationQueries = 2000;  ///< validation Recall@10 queries at most
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
  double bestValidationLoss = 0;  ///< of the kept epoch
  double baseValidationRecall = 0;  ///< Recall@10 on the validation baskets, before
  double bestValidationRecall = 0;  ///< of the kept epoch
  int64_t trainPairs = 0;
  int64_t validationPairs = 0;
  int64_t trainBaskets = 0;
  int64_t validationBaskets = 0;
  int64_t steps = 0;
  double seconds = 0;
};

/// Creates the run, copies the base run's tokenizer and weights, trains,
/// and keeps the weights of the epoch with the best validation Recall@10 as
/// the run's checkpoint (the base weights when no epoch beats them). Metrics
/// per step: loss, lr, epoch; per epoch (and before the first): val/loss,
/// val/recall_at_10. A stop
/// request keeps the best checkpoint so far and returns status "stopped"; a
/// NaN/Inf loss fails the run and keeps it too.
Result<RetrievalFinetuneReport> runRetrievalFinetuning(Project& project,
                                                       const RetrievalFinetuneOptions& options,
                                                       JobContext& context);

}  // namespace pl
