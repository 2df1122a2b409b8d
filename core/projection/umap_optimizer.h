#pragma once
// UMAP's layout: stochastic gradient descent on the fuzzy graph's edges,
// each sampled in proportion to its weight, with negative sampling, as
// umap-learn's optimize_layout_euclidean.

#include <cstdint>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "projection/sparse_affinities.h"
#include "projection/umap_curve.h"

namespace pl {

/// Resolved settings.
struct UmapSettings {
  int epochs = 200;
  int negativeSamples = 5;
  double learningRate = 1.0;  ///< decays linearly to 0 over the epochs
  UmapCurve curve;
  uint64_t seed = 42;
  int threads = 1;
};

/// The default epochs: 500 up to 10,000 points, 200 above (umap-learn).
int umapDefaultEpochs(int64_t rows);

/// Optimises `xy` (N x 2 interleaved) in place. Edges lighter than
/// max / epochs are never sampled (umap-learn drops them). Threads split the
/// edges and update the shared layout without locks ("Hogwild", as
/// umap-learn's parallel mode: the rare colliding writes only add noise to
/// an already stochastic descent); one thread is deterministic for a seed.
Status optimizeUmap(const SparseAffinities& graph, const UmapSettings& settings, std::vector<float>& xy,
                    JobContext& context);

}  // namespace pl
