#include "recommend/recommender.h"

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "embed/embedding_matrix.h"
#include "neighbors/neighbor_search.h"
#include "store/basket_queries.h"
#include "store/run_store.h"

namespace pl {

std::string recommendationReasonName(RecommendationReason reason) {
  switch (reason) {
    case RecommendationReason::BoughtTogether: return "bought together";
    case RecommendationReason::Similar: return "similar product";
    case RecommendationReason::Popular: return "popular";
  }
  return "popular";
}

Result<std::vector<Recommendation>> recommendFor(Project& project, int64_t product,
                                                 const RecommendOptions& options) {
  Database& db = project.db();
  std::vector<Recommendation> out;
  if (options.k <= 0) return out;
  const auto k = static_cast<size_t>(options.k);
  std::unordered_set<int64_t> listed{product};
  auto add = [&](const Recommendation& r) {
    if (out.size() < k && listed.insert(r.product).second) out.push_back(r);
  };
  for (const auto& [other, shared] : boughtTogether(db, product)) {
    add({other, RecommendationReason::BoughtTogether, shared, 0});
    if (out.size() == k) return out;
  }
  if (!options.runName.empty()) {
    auto run = findRun(db, options.runName);
    if (!run) return Error{"there is no run named '" + options.runName + "'"};
    auto loaded = loadEmbeddingMatrix(db, run->id, options.runName);
    if (!loaded) return loaded.error();
    auto matrix = std::make_shared<const EmbeddingMatrix>(std::move(*loaded));
    const int64_t row = matrix->indexOf(product);
    if (row < 0) {
      return Error{"the product has no embedding in run '" + options.runName + "'; run 'embed' again"};
    }
    // Enough neighbours to fill the list whatever the co-purchases took.
    const int wanted = static_cast<int>(std::min<size_t>(k + listed.size(), static_cast<size_t>(matrix->rows())));
    auto search = makeExactSearch(matrix);
    for (const auto& hit : search->search(matrix->row(row), wanted, row)) {
      if (hit.row < 0) continue;
      add({matrix->rowIds[static_cast<size_t>(hit.row)], RecommendationReason::Similar, 0, hit.similarity});
    }
  }
  if (out.size() < k) {
    for (const auto& [other, bought] : mostBought(db, static_cast<int>(k + listed.size()))) {
      add({other, RecommendationReason::Popular, bought, 0});
    }
  }
  return out;
}

}  // namespace pl
