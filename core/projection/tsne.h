#pragma once
// t-SNE (van der Maaten 2014, Barnes-Hut) from a kNN graph, with the
// defaults of openTSNE: perplexity 30, PCA initialisation, learning rate
// N / 12, 250 exaggerated iterations of 750.

#include <vector>

#include "projection/layout_methods.h"

namespace pl {

/// The t-SNE layout of the graph's points. `pcaXy` (N x 2) is the starting
/// layout, rescaled so its first coordinate has standard deviation 1e-4
/// (openTSNE: a small start keeps early exaggeration from tearing clusters).
/// Fills xy, similaritySeconds and layoutSeconds.
Result<LayoutResult> tsneLayout(const KnnGraph& graph, const std::vector<float>& pcaXy,
                                const ProjectionOptions& options, JobContext& context);

}  // namespace pl
