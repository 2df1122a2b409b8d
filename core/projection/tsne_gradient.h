#pragma once
// The t-SNE gradient, in openTSNE's scaling (dKL/dy without the factor 4,
// which is why the automatic learning rate is N / exaggeration as in
// Belkina et al. 2019): attraction along the sparse P, repulsion from every
// point, approximated with a Barnes-Hut quadtree.

#include <vector>

#include "projection/quadtree.h"
#include "projection/sparse_affinities.h"

namespace pl {

/// Gradient of every point (x, y interleaved) into `gradient`; returns Z,
/// the sum of q_ij Z over all pairs. theta = 0 gives the exact gradient.
/// `tree` is scratch space reused between iterations.
double tsneGradient(const SparseAffinities& p, const std::vector<double>& xy, double exaggeration,
                    double theta, int threads, QuadTree& tree, std::vector<double>& gradient);

/// The same gradient with the repulsion interpolated on a grid
/// (tsne_interpolation.h): O(N) per call, for large N.
double tsneGradientInterpolated(const SparseAffinities& p, const std::vector<double>& xy, double exaggeration,
                                int threads, std::vector<double>& gradient);

/// The same gradient by the O(N^2) definition, for tests.
double exactTsneGradient(const SparseAffinities& p, const std::vector<double>& xy, double exaggeration,
                         std::vector<double>& gradient);

/// KL(P || Q) given the normaliser Z from tsneGradient (sums over P's entries only).
double tsneKlDivergence(const SparseAffinities& p, const std::vector<double>& xy, double z);

}  // namespace pl
