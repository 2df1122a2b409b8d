#pragma once
// UMAP (McInnes, Healy & Melville 2018) from a kNN graph, with umap-learn's
// defaults: 15 neighbours, min_dist 0.1, 5 negative samples, 500/200 epochs.

#include <vector>

#include "projection/layout_methods.h"

namespace pl {

/// The UMAP layout of the graph's points. The start is the PCA layout
/// `pcaXy` scaled to [-10, 10] (umap-learn's range for its spectral start;
/// the spectral initialisation itself, an eigenproblem of the graph
/// Laplacian, is not implemented: PCA is cheap and keeps global structure).
/// Fills xy, similaritySeconds and layoutSeconds.
Result<LayoutResult> umapLayout(const KnnGraph& graph, const std::vector<float>& pcaXy,
                                const ProjectionOptions& options, JobContext& context);

}  // namespace pl
