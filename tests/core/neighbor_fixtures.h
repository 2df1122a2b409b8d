#pragma once
// Vectors shared by the neighbour search tests. Include it before Qt
// headers: LibTorch's headers break under Qt's `slots` macro.
#include "neighbors/neighbor_search.h"
#include "neighbors/synthetic_clusters.h"

#include <QtTest>
#include <memory>
#include <random>
#include <vector>

namespace pl::test {

/// Independent Gaussian vectors, L2-normalised (rowIds 1..rows).
inline std::shared_ptr<EmbeddingMatrix> randomMatrix(int64_t rows, int64_t dim, uint64_t seed) {
  auto m = std::make_shared<EmbeddingMatrix>();
  m->dim = dim;
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  m->values.resize(static_cast<size_t>(rows * dim));
  for (int64_t r = 0; r < rows; ++r) {
    m->rowIds.push_back(r + 1);
    double norm = 0;
    for (int64_t d = 0; d < dim; ++d) {
      float v = normal(rng);
      m->values[static_cast<size_t>(r * dim + d)] = v;
      norm += double(v) * v;
    }
    for (int64_t d = 0; d < dim; ++d)
      m->values[static_cast<size_t>(r * dim + d)] /= float(std::sqrt(norm));
  }
  return m;
}

/// Clustered vectors that behave like trained embeddings (64-d, 50 clusters in 16-d).
inline std::shared_ptr<EmbeddingMatrix> clusters(int64_t points, uint64_t seed,
                                                 uint64_t drawSeed = 0) {
  SyntheticClusterSpec spec;
  spec.points = points;
  spec.dim = 64;
  spec.clusters = 50;
  spec.subspaceDim = 16;
  spec.seed = seed;
  return std::make_shared<EmbeddingMatrix>(makeSyntheticClusters(spec, nullptr, drawSeed));
}

/// Every query's top 10 through searchMany.
inline std::vector<std::vector<Neighbor>> answersFor(const NeighborSearch& search,
                                                     const EmbeddingMatrix& queries) {
  return search.searchMany(queries.values.data(), queries.rows(), 10);
}

}  // namespace pl::test
