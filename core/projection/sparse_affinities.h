#pragma once
// A sparse symmetric weight matrix in CSR form: t-SNE's P and UMAP's fuzzy
// graph both come out of the kNN graph in this shape.

#include <cstdint>
#include <vector>

namespace pl {

/// Rows x rows, row i's entries at [rowStart[i], rowStart[i+1]).
struct SparseAffinities {
  int64_t rows = 0;
  std::vector<int64_t> rowStart;  ///< rows + 1
  std::vector<int32_t> columns;
  std::vector<double> values;
  int64_t entries() const { return static_cast<int64_t>(columns.size()); }
};

/// A directed weighted edge list (row, column, weight).
struct WeightedEdges {
  std::vector<int32_t> from;
  std::vector<int32_t> to;
  std::vector<double> weight;
};

// Both build the CSR of W combined with W^T pair by pair (a missing
// direction counts as 0), rows sorted by column, self-loops dropped.
/// The t-SNE rule: w_ij + w_ji.
SparseAffinities symmetriseBySum(int64_t rows, const WeightedEdges& edges);
/// The UMAP rule (fuzzy union): w_ij + w_ji - w_ij * w_ji.
SparseAffinities symmetriseByFuzzyUnion(int64_t rows, const WeightedEdges& edges);

}  // namespace pl
