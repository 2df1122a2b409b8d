#include "recommend/recommender.h"

#include <algorithm>
#include <memory>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "embed/embedding_matrix.h"
#include "neighbors/neighbor_search.h"
#include "common/atomic_file.h"
#include "common/csv_field.h"
#include "eval/basket_split.h"
#include "eval/cooccurrence.h"
#include "store/basket_queries.h"
#include "store/product_queries.h"
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

std::vector<Recommendation> blendRecommendations(int64_t product, int k,
                                                 const std::vector<Recommendation>& together,
                                                 const std::vector<Recommendation>& similar,
                                                 const std::vector<Recommendation>& popular) {
  std::vector<Recommendation> out;
  if (k <= 0) return out;
  std::unordered_set<int64_t> listed{product};
  for (const auto* source : {&together, &similar, &popular}) {
    for (const Recommendation& r : *source) {
      if (out.size() == static_cast<size_t>(k)) return out;
      if (listed.insert(r.product).second) out.push_back(r);
    }
  }
  return out;
}

namespace {

/// The run's stored vectors, or an error naming what is missing.
Result<std::shared_ptr<const EmbeddingMatrix>> runVectors(Database& db, const std::string& runName) {
  auto run = findRun(db, runName);
  if (!run) return Error{"there is no run named '" + runName + "'"};
  auto loaded = loadEmbeddingMatrix(db, run->id, runName);
  if (!loaded) return loaded.error();
  return std::make_shared<const EmbeddingMatrix>(std::move(*loaded));
}

std::vector<Recommendation> nearest(const NeighborSearch& search, const EmbeddingMatrix& matrix, int64_t row,
                                    int wanted) {
  std::vector<Recommendation> out;
  if (row < 0) return out;
  for (const auto& hit : search.search(matrix.row(row), wanted, row)) {
    if (hit.row >= 0) {
      out.push_back({matrix.rowIds[static_cast<size_t>(hit.row)], RecommendationReason::Similar, 0, hit.similarity});
    }
  }
  return out;
}

/// A count as a whole number, a cosine with four decimals.
std::string formatScore(double score) {
  char text[32];
  if (!std::isfinite(score)) return "";  // a damaged vector's cosine: no score
  if (std::fabs(score) < 9e15 && score == static_cast<double>(static_cast<int64_t>(score))) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(score));
  } else {
    std::snprintf(text, sizeof text, "%.4f", score);
  }
  return text;
}

}  // namespace

Result<std::vector<Recommendation>> recommendFor(Project& project, int64_t product,
                                                 const RecommendOptions& options) {
  Database& db = project.db();
  if (loadProductRows(db, {product}).front().rowId != product) {
    return Error{"there is no product " + std::to_string(product) + " in the project"};
  }
  std::shared_ptr<const EmbeddingMatrix> matrix;
  int64_t row = -1;
  if (!options.runName.empty()) {  // checked whether or not its neighbours are needed
    auto loaded = runVectors(db, options.runName);
    if (!loaded) return loaded.error();
    matrix = *loaded;
    row = matrix->indexOf(product);
    if (row < 0) {
      return Error{"the product has no embedding in run '" + options.runName + "'; run 'embed' again"};
    }
  }
  if (options.k <= 0) return std::vector<Recommendation>{};
  std::vector<Recommendation> together, similar, popular;
  for (const auto& [other, shared] : boughtTogether(db, product)) {
    together.push_back({other, RecommendationReason::BoughtTogether, shared, 0});
  }
  // Enough of each later source to fill the list whatever came before.
  const int wanted = 2 * options.k + 1;
  if (matrix && static_cast<int>(together.size()) < options.k) {
    similar = nearest(*makeExactSearch(matrix), *matrix, row, static_cast<int>(std::min<int64_t>(wanted, matrix->rows())));
  }
  auto list = blendRecommendations(product, options.k, together, similar, popular);
  if (static_cast<int>(list.size()) < options.k) {
    for (const auto& [other, bought] : mostBought(db, wanted)) {
      popular.push_back({other, RecommendationReason::Popular, bought, 0});
    }
    list = blendRecommendations(product, options.k, together, similar, popular);
  }
  return list;
}

Result<int64_t> exportRecommendations(Project& project, const RecommendOptions& options,
                                      const std::string& path, JobContext& context) {
  Database& db = project.db();
  std::shared_ptr<const EmbeddingMatrix> matrix;
  std::unique_ptr<NeighborSearch> search;
  if (!options.runName.empty()) {
    auto loaded = runVectors(db, options.runName);
    if (!loaded) return loaded.error();
    matrix = *loaded;
    search = makeExactSearch(matrix);
  }
  context.progress(0, 1, "Counting co-purchases");
  // Single-product baskets too: they count for popularity (as in recommend).
  const CooccurrenceCounts counts(loadBaskets(db, BasketSplit{}, BasketSet::All, 1));
  std::vector<Recommendation> popular;
  for (int64_t p : counts.byPopularity()) {
    if (popular.size() > static_cast<size_t>(options.k)) break;
    popular.push_back({p, RecommendationReason::Popular, counts.basketsWith(p), 0});
  }
  std::vector<int64_t> products;
  std::vector<std::string> extIds;
  for (auto& [id, ext] : listProductIds(db)) {
    products.push_back(id);
    extIds.push_back(std::move(ext));
  }
  std::unordered_map<int64_t, size_t> indexOf;
  for (size_t i = 0; i < products.size(); ++i) indexOf.emplace(products[i], i);

  AtomicFileWriter file(path);
  if (!file.isOpen()) return Error{"cannot write " + path};
  file.write("product_id,rank,recommended_id,reason,score\n");
  std::string lines;
  for (size_t i = 0; i < products.size(); ++i) {
    if (i % 512 == 0) {
      if (context.stopRequested()) return Error{"export cancelled; " + path + " was not written"};
      context.progress(static_cast<int64_t>(i), static_cast<int64_t>(products.size()), "Recommending");
    }
    std::vector<Recommendation> together;
    for (const auto& [other, shared] : counts.partners(products[i])) {
      if (together.size() > static_cast<size_t>(options.k)) break;
      together.push_back({other, RecommendationReason::BoughtTogether, shared, 0});
    }
    std::vector<Recommendation> similar;
    if (search && together.size() < static_cast<size_t>(options.k)) {
      similar = nearest(*search, *matrix, matrix->indexOf(products[i]), options.k + 1);
    }
    const auto list = blendRecommendations(products[i], options.k, together, similar, popular);
    for (size_t r = 0; r < list.size(); ++r) {
      auto at = indexOf.find(list[r].product);
      if (at == indexOf.end()) continue;  // a basket line of a product since deleted
      const double score = list[r].reason == RecommendationReason::Similar ? list[r].similarity
                                                                            : static_cast<double>(list[r].baskets);
      lines += csvField(extIds[i]) + "," + std::to_string(r + 1) + "," + csvField(extIds[at->second]) + "," +
               recommendationReasonName(list[r].reason) + "," + formatScore(score) + "\n";
    }
    if (lines.size() > (1 << 20)) {
      file.write(lines);
      lines.clear();
    }
  }
  file.write(lines);
  if (Status s = file.commit(); !s) return s.error();
  return static_cast<int64_t>(products.size());
}

}  // namespace pl
