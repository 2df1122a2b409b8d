#pragma once
// Lexical neighbours for the contrastive objective's second view: each
// product's nearest products by TF-IDF cosine over its own text inputs. A
// second view drawn from a lexical neighbour teaches the encoder what
// character n-grams and shared words know (plural forms, brand spellings)
// that a bag of subwords cannot see on its own. No labels are involved.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "store/sqlite_db.h"
#include "train/run_config.h"

namespace pl {

/// How many TF-IDF neighbours of each product a lexical view is drawn from.
/// On Instacart aisle 10-NN: 1 -> 0.7168, 2 -> 0.7185, 5 -> 0.7163 (farther
/// neighbours are less often the same kind of product).
constexpr int kLexicalNeighbours = 2;

/// Up to this many products the neighbours are exact (sparse cosine top-k,
/// quadratic in the products: ~2 minutes at 100k on 2 cores); above it they
/// come from an HNSW graph over the TF-IDF vectors reduced by LSA to
/// kApproximateLexicalDim dimensions (~30 s at 100k, ~5 minutes at 1M).
/// Every catalog the recipes were tuned on (<= 50k) stays exact.
constexpr int64_t kExactLexicalLimit = 100000;
constexpr int64_t kApproximateLexicalDim = 64;

/// Whether a run with `config` searches lexical neighbours before its first
/// step: it asks for them, and has contrastive views and text to make them from.
inline bool takesLexicalViews(const RunConfig& config) {
  return config.lexicalViews > 0 && config.uses("contrastive") && !config.textInputs().empty();
}

/// Each product's `k` nearest products by TF-IDF cosine, in corpus order.
struct LexicalNeighbours {
  int k = 0;
  std::vector<int32_t> indices;  ///< size * k corpus indices; -1 where a product has none

  bool empty() const { return k == 0; }
  /// A neighbour of `item` chosen by `rng`, or `item` itself when it has none.
  int32_t draw(int32_t item, std::mt19937_64& rng) const;
};

/// Computes the neighbours of the products `rowIds` (the corpus, in its
/// order) over `textFields` with the TF-IDF baseline's features. Neighbours
/// with no n-gram in common (cosine 0) are left out. Above `exactLimit`
/// products they are approximate (see kExactLexicalLimit). A stop request
/// returns an error.
Result<LexicalNeighbours> findLexicalNeighbours(Database& db, const std::vector<int64_t>& rowIds,
                                                const std::vector<std::string>& textFields, int k,
                                                JobContext& context,
                                                int64_t exactLimit = kExactLexicalLimit);

/// The batch with each item replaced, with probability `share`, by one of its
/// lexical neighbours; the draws depend only on (seed, step) so a resumed run
/// repeats them.
std::vector<int32_t> lexicalPartners(const LexicalNeighbours& neighbours,
                                     const std::vector<int32_t>& items, double share,
                                     uint64_t seed, int64_t step);

}  // namespace pl
