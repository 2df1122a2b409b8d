#include "train/lexical_neighbours.h"

#include <memory>
#include <numeric>

#include "eval/lsa.h"
#include "eval/neighbour_eval.h"
#include "eval/sparse_knn.h"
#include "eval/tfidf.h"
#include "neighbors/neighbor_search.h"

namespace pl {

namespace {

// Exact: the sparse cosine top-k (N^2 products: ~2 minutes at 100k rows).
Result<LexicalNeighbours> exactNeighbours(const SparseRows& features, int k, JobContext& context) {
  SparseKnn knn = sparseCosineKnn(features, k, context);
  if (knn.k == 0) return Error{"stopped while finding lexical neighbours"};
  LexicalNeighbours out;
  out.k = k;
  out.indices = std::move(knn.indices);
  // Rows are most similar first, so the cosine-0 tail is cut by moving -1 in.
  for (size_t i = 0; i < out.indices.size(); ++i) {
    if (knn.similarities[i] <= 0) out.indices[i] = -1;
  }
  return out;
}

// Approximate: TF-IDF reduced by LSA, then an HNSW kNN graph, so the cost
// grows as N log N. A second view only needs a product that shares words and
// spellings with the first, not the exact top-k.
Result<LexicalNeighbours> approximateNeighbours(const SparseRows& features, int k,
                                                JobContext& context) {
  context.progress(0, 1, "Reducing TF-IDF (LSA) for lexical neighbours");
  auto matrix = std::make_shared<EmbeddingMatrix>();
  matrix->dim = kApproximateLexicalDim;
  matrix->rowIds.resize(static_cast<size_t>(features.rows()));
  std::iota(matrix->rowIds.begin(), matrix->rowIds.end(), int64_t{0});
  matrix->values = lsaEmbedding(features, kApproximateLexicalDim, /*seed=*/7, /*powerIterations=*/2);
  if (context.stopRequested()) return Error{"stopped while finding lexical neighbours"};
  HnswOptions options;
  options.efConstruction = 100;  // k is 2: a narrower build beam loses nothing that matters here
  auto search = buildHnswSearch(matrix, options, context);
  if (!search) return search.error();
  auto graph = buildKnnGraph(**search, k, context);
  if (!graph) return graph.error();
  LexicalNeighbours out;
  out.k = k;
  out.indices = std::move(graph->indices);
  for (size_t i = 0; i < out.indices.size(); ++i) {
    if (graph->distances[i] >= 1.0f) out.indices[i] = -1;  // nothing in common
  }
  return out;
}

}  // namespace

int32_t LexicalNeighbours::draw(int32_t item, std::mt19937_64& rng) const {
  const int32_t* row = indices.data() + static_cast<size_t>(item) * k;
  int found = 0;
  while (found < k && row[found] >= 0) ++found;
  if (found == 0) return item;
  return row[std::uniform_int_distribution<int>(0, found - 1)(rng)];
}

Result<LexicalNeighbours> findLexicalNeighbours(Database& db, const std::vector<int64_t>& rowIds,
                                                const std::vector<std::string>& textFields, int k,
                                                JobContext& context, int64_t exactLimit) {
  context.progress(0, 1, "Finding lexical neighbours");
  TfidfFeatures features = tfidfFeatures(loadProductTexts(db, rowIds, textFields));
  if (features.matrix.rows() > exactLimit) {
    context.log(LogLevel::Info, "Lexical neighbours of " + std::to_string(features.matrix.rows()) +
                                    " products: approximate (LSA + HNSW) above " +
                                    std::to_string(exactLimit));
    return approximateNeighbours(features.matrix, k, context);
  }
  return exactNeighbours(features.matrix, k, context);
}

std::vector<int32_t> lexicalPartners(const LexicalNeighbours& neighbours,
                                     const std::vector<int32_t>& items, double share,
                                     uint64_t seed, int64_t step) {
  std::mt19937_64 rng(seed * 104729 + static_cast<uint64_t>(step));
  std::bernoulli_distribution replace(share);
  std::vector<int32_t> partners = items;
  for (auto& item : partners) {
    if (replace(rng)) item = neighbours.draw(item, rng);
  }
  return partners;
}

}  // namespace pl
