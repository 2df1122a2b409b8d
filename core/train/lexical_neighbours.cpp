#include "train/lexical_neighbours.h"

#include "eval/neighbour_eval.h"
#include "eval/sparse_knn.h"
#include "eval/tfidf.h"

namespace pl {

int32_t LexicalNeighbours::draw(int32_t item, std::mt19937_64& rng) const {
  const int32_t* row = indices.data() + static_cast<size_t>(item) * k;
  int found = 0;
  while (found < k && row[found] >= 0) ++found;
  if (found == 0) return item;
  return row[std::uniform_int_distribution<int>(0, found - 1)(rng)];
}

Result<LexicalNeighbours> findLexicalNeighbours(Database& db, const std::vector<int64_t>& rowIds,
                                                const std::vector<std::string>& textFields, int k,
                                                JobContext& context) {
  context.progress(0, 1, "Finding lexical neighbours");
  TfidfFeatures features = tfidfFeatures(loadProductTexts(db, rowIds, textFields));
  SparseKnn knn = sparseCosineKnn(features.matrix, k, context);
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
