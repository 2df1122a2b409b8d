#pragma once
// Training data of the retrieval fine-tune: co-purchased pairs from the
// training baskets only (the held-out evaluation baskets of
// eval/basket_split.h are never read), split by basket into training and
// validation pairs, and batches in which no product appears twice.

#include <cstdint>
#include <utility>
#include <vector>

#include "eval/basket_split.h"
#include "train/product_corpus.h"

namespace pl {

/// Pairs of corpus indices bought together.
using CopurchasePair = std::pair<int32_t, int32_t>;

/// Pairs for fine-tuning and for early stopping.
struct CopurchasePairs {
  std::vector<CopurchasePair> train;
  std::vector<CopurchasePair> validation;  ///< from baskets none of `train` comes from
  std::vector<Basket> validationSet;       ///< those baskets, for validation Recall@k
  int64_t trainBaskets = 0;
  int64_t validationBaskets = 0;
};

/// Every pair of distinct products of each training basket (products
/// outside `corpus` skipped). A seeded `validationFraction` of the baskets
/// (at least one when there are two) gives the validation pairs, so early
/// stopping judges pairs from baskets it never trained on, as the test does.
/// At most `maxPairs` training pairs (whole baskets, in seeded order).
CopurchasePairs splitCopurchasePairs(const std::vector<Basket>& trainingBaskets,
                                     const ProductCorpus& corpus, double validationFraction,
                                     uint64_t seed, size_t maxPairs = 2'000'000);

/// One epoch's batches (indices into `pairs`) in a seeded order, with no
/// product twice in a batch: in-batch InfoNCE would otherwise score a
/// product against itself, or a popular product's other partners, as a
/// negative. A pair that clashes with the open batch waits for the next (in
/// a line of at most 8 batches' worth); pairs pushed out of the line or still
/// waiting at the end of the pass sit this epoch out (a popular
/// product gets at most one pair per batch, like word2vec's subsampling of
/// frequent words). Batches of fewer than two pairs are dropped.
std::vector<std::vector<size_t>> conflictFreeBatches(const std::vector<CopurchasePair>& pairs,
                                                     int batchSize, uint64_t seed, int epoch);

}  // namespace pl
