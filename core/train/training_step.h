#pragma once
// One step's losses for a batch: the corrupted view (masked tokens, hidden
// attribute) carries mlm and attr; a clean view pairs with it for the
// contrastive loss (masking doubles as augmentation; without mlm/attr the
// two views differ by dropout only, as in SimCSE). With pictures, each view
// carries its own augmentation of them (SimCLR), the first view's pictures
// also feed mim, and its text and picture vectors clip.

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "model/product_model.h"
#include "train/batching.h"
#include "train/run_config.h"

namespace pl {

/// Losses of one step: the weighted total (for backward) and each part.
struct StepLosses {
  torch::Tensor total;
  std::map<std::string, double> parts;  ///< objective -> unweighted loss value
  int64_t tokens = 0;                   ///< real tokens processed
};

/// Recent second-view embeddings, reused as extra contrastive negatives
/// (a memory bank: no gradient flows into them).
struct NegativeQueue {
  torch::Tensor embeddings;  ///< [N,E], newest last; undefined until the first step
  int capacity = 0;
  /// Appends `batch` (detached) and drops the oldest rows beyond capacity.
  void push(const torch::Tensor& batch);
};

/// Fixed inputs of the loss computation.
struct LossSetup {
  const RunConfig* config = nullptr;
  int64_t vocabSize = 0;
  std::vector<int64_t> attrTargetColumns;  ///< indices into the attribute inputs
  NegativeQueue* queue = nullptr;          ///< contrastive extra negatives, optional
  /// neighbours: recent first-view embeddings whose nearest rows stand in as
  /// positives (NNCLR); optional, validation goes without.
  NegativeQueue* support = nullptr;
  /// Distributed runs: the rows [begin, end) of each batch this rank
  /// computes, of `ranks`. The random draws are made for the whole batch, so
  /// every rank draws what a single process would; mlm is normalised by the
  /// whole batch's masked tokens (times `ranks`, as gradients are averaged),
  /// so the averaged gradient is the single-process one. Contrastive, clip
  /// and neighbour losses take their negatives from the rank's rows.
  int64_t shardBegin = 0, shardEnd = -1;
  int ranks = 1;
  bool sharded() const { return shardEnd >= 0; }
  /// Where the model is: batches and random draws stay on the CPU (the
  /// draws are reproducible there) and move over right before the forward.
  torch::Device device{torch::kCPU};
};

/// Computes the enabled objectives except copurchase on `batch`.
/// `secondView` (optional, same size as `batch`): the products the
/// contrastive second view is made from, row for row (lexical views); by
/// default `batch` itself.
StepLosses computeLosses(ProductModelImpl& model, const LossSetup& setup, const Batch& batch,
                         torch::Generator& generator, const Batch* secondView = nullptr);

/// Adds the copurchase InfoNCE between anchors and their basket partners.
void addCopurchaseLoss(ProductModelImpl& model, const LossSetup& setup, const Batch& anchors,
                       const Batch& partners, StepLosses& losses);

}  // namespace pl
