#pragma once
// Co-purchase retrieval: does a representation put the products bought
// together near each other? Each product of a held-out basket
// (eval/basket_split.h) queries the whole catalog (itself left out); the
// other products of its basket are the relevant items. Scores are means over
// queries of
//   Recall@k = |relevant in top k| / |relevant|   (the standard definition:
//              a basket of 15 can reach at most 10/14 at k = 10), and
//   NDCG@k   with binary gains, over the ideal list (min(|relevant|, k) hits first),
// from eval/ranking_metrics.h. Runs and baselines are scored on the same
// queries: the held-out baskets' products that have a vector (every product,
// once a run is embedded), sampled down to a cap with a fixed seed.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "embed/embedding_matrix.h"
#include "eval/basket_split.h"
#include "store/project.h"

namespace pl {

/// One query: a held-out basket's product and the basket's other products.
struct BasketQuery {
  int64_t basket = 0;  ///< baskets.id
  int64_t product = 0;
  std::vector<int64_t> relevant;
  /// The slices the evaluation reports besides all queries: a tail query's
  /// product is in fewer than kTailBaskets training baskets; a cold one is
  /// a cold product (eval/basket_split.h: in no training basket at all).
  /// Disjoint: a cold product is not counted in the tail.
  bool tail = false;
  bool cold = false;
};

/// Training baskets below which a product is in the tail.
inline constexpr int64_t kTailBaskets = 5;

/// How many queries at most, and which.
struct BasketQueryOptions {
  size_t maxQueries = 5000;
  uint64_t seed = 1;
};

/// Queries from `baskets`: every product for which `usable` is true, in a
/// basket with at least two usable products; the relevant items are the
/// basket's other usable products. Above `maxQueries`, a seeded sample.
/// Ordered by basket, then product.
std::vector<BasketQuery> basketQueries(const std::vector<Basket>& baskets,
                                       const std::function<bool(int64_t)>& usable,
                                       const BasketQueryOptions& options = {});

/// What a representation scored.
struct BasketScores {
  std::string subject;  ///< run name, "tf-idf", "popularity" or "co-occurrence"
  int k = 10;
  int64_t baskets = 0;          ///< held-out baskets that gave queries
  int64_t queries = 0;
  int64_t trainingBaskets = 0;  ///< baskets the split leaves for training
  double recallAtK = 0;
  double ndcgAtK = 0;
  double seconds = 0;
  /// The same means over one slice of the queries.
  struct Slice {
    int64_t queries = 0;
    double recallAtK = 0;
    double ndcgAtK = 0;
  };
  Slice tail;  ///< products in fewer than kTailBaskets training baskets (cold ones aside)
  Slice cold;  ///< cold products
};

/// Mean Recall@k and NDCG@k; ranked[i] (products.id, best first) answers queries[i].
BasketScores scoreBasketQueries(const std::vector<BasketQuery>& queries,
                                const std::vector<std::vector<int64_t>>& ranked, int k);

/// The k products most similar to each query product by exact cosine search
/// over `matrix` (the query itself left out). Query products must be rows of it.
std::vector<std::vector<int64_t>> rankByEmbeddings(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                   const std::vector<BasketQuery>& queries, int k,
                                                   JobContext& context);

/// The run's stored embeddings on the held-out baskets (drawn on first use).
/// Stores the result (eval/eval_results.h: subject the run, method "baskets").
Result<BasketScores> evaluateRunBaskets(Project& project, const std::string& runName, int k,
                                        JobContext& context);

/// TF-IDF of `textFields` (title, description) with exact sparse cosine
/// search; subject "tf-idf". Stored like a run's result.
Result<BasketScores> evaluateTfidfBaskets(Project& project, const std::vector<std::string>& textFields,
                                          int k, JobContext& context);

/// The sanity floor: every query gets the products in the most training
/// baskets (ties by id), itself left out; subject "popularity". Stored.
Result<BasketScores> evaluatePopularityBaskets(Project& project, int k, JobContext& context);

/// Item-item co-occurrence (eval/cooccurrence.h) counted on the training
/// baskets: each query gets the products it shared most training baskets
/// with, popularity filling the rest; subject "co-occurrence". Stored.
Result<BasketScores> evaluateCooccurrenceBaskets(Project& project, int k, JobContext& context);

}  // namespace pl
