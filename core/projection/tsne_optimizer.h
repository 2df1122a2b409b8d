#pragma once
// Gradient descent of t-SNE as openTSNE runs it: early exaggeration with
// momentum 0.5, then plain KL with momentum 0.8, per-coordinate gains
// (delta-bar-delta) on both.

#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "projection/sparse_affinities.h"

namespace pl {

/// Resolved settings (no "automatic" zeros left).
struct TsneSettings {
  int iterations = 750;
  int exaggerationIterations = 250;
  double exaggeration = 12;
  double learningRate = 200;
  double theta = 0.5;
  bool interpolate = false;  ///< repulsion by FFT interpolation instead of Barnes-Hut
  int threads = 1;
};

/// The automatic learning rate: max(200, N / exaggeration) (Belkina et al. 2019).
double tsneAutoLearningRate(int64_t rows, double exaggeration);

/// Optimises `xy` (N x 2 interleaved, the initial layout) in place against
/// P. Reports progress ("Optimising layout") every iteration, the KL
/// divergence as a metric every 50, snapshots while someone listens; a stop
/// returns "projection cancelled".
Status optimizeTsne(const SparseAffinities& p, const TsneSettings& settings, std::vector<double>& xy,
                    JobContext& context);

}  // namespace pl
