#pragma once
// t-SNE's input similarities P from a kNN graph (van der Maaten 2014):
// Gaussian conditionals whose bandwidth matches the perplexity, symmetrised
// and normalised to sum to one.

#include "common/job_context.h"
#include "common/result.h"
#include "neighbors/neighbor_search.h"
#include "projection/sparse_affinities.h"

namespace pl {

/// The neighbours t-SNE needs for a perplexity: min(N - 1, 3 * perplexity).
int tsneNeighborCount(int64_t rows, double perplexity);

/// P from `graph` (cosine distances of L2-normalised vectors; squared
/// Euclidean distance is twice that). Each row's bandwidth is found by
/// binary search so the conditional's perplexity is `perplexity` (lowered
/// to k / 3 when the graph has fewer than 3 * perplexity neighbours).
/// Returns an error when stopped.
Result<SparseAffinities> tsneAffinities(const KnnGraph& graph, double perplexity, int threads,
                                        JobContext& context);

}  // namespace pl
