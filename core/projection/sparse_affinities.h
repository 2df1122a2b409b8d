#pragma once
// A sparse symmetric weight matrix in CSR form: t-SNE's P and UMAP's fuzzy
// graph both come out of the kNN graph in this shape.

#include <cstdint>
#include <functional>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "neighbors/neighbor_search.h"

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

/// Writes the k weights of one row from its k neighbour distances.
using RowWeights = std::function<void(const float* distances, int k, double* weights)>;

/// The kNN graph as directed edges i -> its neighbours, each row weighted by
/// `weighRow`, in parallel blocks with progress ("Computing similarities")
/// and stop checks (a stop returns "projection cancelled").
Result<WeightedEdges> weighKnnEdges(const KnnGraph& graph, int threads, JobContext& context,
                                    const RowWeights& weighRow);

// Both build the CSR of W combined with W^T pair by pair (a missing
// direction counts as 0), rows sorted by column, self-loops dropped.
/// The t-SNE rule: w_ij + w_ji.
SparseAffinities symmetriseBySum(int64_t rows, const WeightedEdges& edges);
/// The UMAP rule (fuzzy union): w_ij + w_ji - w_ij * w_ji.
SparseAffinities symmetriseByFuzzyUnion(int64_t rows, const WeightedEdges& edges);

}  // namespace pl
