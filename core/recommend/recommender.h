#pragma once
// "Bought together" lists for one product, as a shop would show them. The
// rule (measured in docs/benchmarks.md, "Recommendation"): the products
// bought together with it, most shared baskets first; then, when a run is
// given, its nearest products by the run's vectors (what carries a product
// that has no basket history yet); then the most bought products. Each
// item says which of the three put it there.

#include <cstdint>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"

namespace pl {

/// Why an item is on the list.
enum class RecommendationReason { BoughtTogether, Similar, Popular };

/// "bought together", "similar product" or "popular".
std::string recommendationReasonName(RecommendationReason reason);

/// One recommended product.
struct Recommendation {
  int64_t product = 0;  ///< products.id
  RecommendationReason reason = RecommendationReason::Popular;
  int64_t baskets = 0;    ///< BoughtTogether: baskets shared; Popular: baskets it is in
  double similarity = 0;  ///< Similar: cosine of the run's vectors
};

/// What to recommend from.
struct RecommendOptions {
  int k = 10;
  /// An embedded run whose nearest neighbours fill in after the
  /// co-purchases; empty: co-purchases, then popularity.
  std::string runName;
};

/// Up to `k` recommendations for products.id `product` (never itself, no
/// product twice). An error names what is missing: the product, the run
/// or its embeddings.
Result<std::vector<Recommendation>> recommendFor(Project& project, int64_t product,
                                                 const RecommendOptions& options);

/// The rule itself, on candidates already found: `together` (most shared
/// baskets first), then `similar` (nearest first), then `popular` (most
/// bought first), skipping `product` and repeats, up to `k`.
std::vector<Recommendation> blendRecommendations(int64_t product, int k,
                                                 const std::vector<Recommendation>& together,
                                                 const std::vector<Recommendation>& similar,
                                                 const std::vector<Recommendation>& popular);

/// Every product's list as CSV at `path` (written atomically):
/// product_id,rank,recommended_id,reason,score with the catalog's ids; the
/// score is the baskets shared (bought together), the cosine (similar
/// product) or the baskets it is in (popular). Counted over all the
/// project's baskets in memory; `options.runName` as for recommendFor.
/// Returns the number of products listed.
Result<int64_t> exportRecommendations(Project& project, const RecommendOptions& options,
                                      const std::string& path, JobContext& context);

}  // namespace pl
