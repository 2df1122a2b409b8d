#pragma once
// UMAP's fuzzy simplicial set (McInnes et al. 2018): each point's local
// metric from its kNN distances, memberships exp(-(d - rho) / sigma),
// combined by fuzzy union.

#include "common/job_context.h"
#include "common/result.h"
#include "neighbors/neighbor_search.h"
#include "projection/sparse_affinities.h"

namespace pl {

/// The symmetric membership graph of `graph` (k neighbours, the point
/// itself excluded, so k = n_neighbors - 1 as in umap-learn, whose lists
/// start with the point). rho is the distance to the nearest neighbour;
/// sigma solves sum_j exp(-(d_j - rho) / sigma) = log2(k + 1) by bisection.
/// Returns an error when stopped.
Result<SparseAffinities> umapFuzzySet(const KnnGraph& graph, int threads, JobContext& context);

}  // namespace pl
