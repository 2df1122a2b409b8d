#pragma once
// Exact principal component analysis of a dense float32 matrix: the fast,
// deterministic map, and the starting layout of t-SNE and UMAP.

#include <cstdint>
#include <vector>

namespace pl {

/// Coordinates of every row on the leading principal axes, and how much of
/// the variance each axis carries.
struct PcaResult {
  int components = 0;
  std::vector<float> coordinates;         ///< rows * components, row-major
  std::vector<double> explainedVariance;  ///< share of total variance per axis, all dim, descending
};

/// PCA of `rows` x `dim` row-major values through the D x D covariance (so it
/// costs one pass over the rows: 1M x 128 takes seconds). Each axis's sign is
/// fixed so its largest loading is positive, which makes maps reproducible.
/// Components beyond `dim` (or with fewer than two rows) come out as zeros.
PcaResult computePca(const float* values, int64_t rows, int64_t dim, int components = 2);

}  // namespace pl
