#pragma once
// Stand-in for real product embeddings in benchmarks and tests: uniform
// random vectors are useless there (no index does well on them, and no map
// shows anything), clustered vectors in a low-dimensional subspace behave
// like trained embeddings do.

#include <cstdint>
#include <vector>

#include "embed/embedding_matrix.h"

namespace pl {

/// How to draw the synthetic set.
struct SyntheticClusterSpec {
  int64_t points = 100000;
  int64_t dim = 128;
  int clusters = 1000;
  int64_t subspaceDim = 32;      ///< the clusters live in a random subspace of this size
  double clusterSpread = 0.5;    ///< within-cluster std relative to the centres' std
  double noise = 0.3;            ///< isotropic noise std relative to the signal's per-axis std
  uint64_t seed = 1;
};

/// Draws `spec.points` vectors: a mixture of Gaussian clusters in a random
/// subspace, projected to `dim`, plus isotropic noise, L2-normalised. Rows get
/// rowIds 1..N. `labels`, when given, receives each row's cluster. `spec.seed`
/// fixes the mixture (centres, subspace); `drawSeed` the points drawn from it,
/// so queries from another drawSeed come from the indexed distribution but
/// are not in the index.
EmbeddingMatrix makeSyntheticClusters(const SyntheticClusterSpec& spec, std::vector<int32_t>* labels = nullptr,
                                      uint64_t drawSeed = 0);

}  // namespace pl
