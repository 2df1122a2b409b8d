#pragma once
// t-SNE's repulsion by FFT-accelerated interpolation (Linderman et al. 2019,
// "FIt-SNE"; openTSNE's default above 10,000 points): the points' charges
// are spread onto a regular grid by Lagrange interpolation, the grid is
// convolved with the kernel by FFT, and the potentials are interpolated
// back. O(N) per iteration instead of Barnes-Hut's O(N log N) with a large
// constant: the difference between minutes and an hour at 100k points.

#include <vector>

namespace pl {

/// Grid settings (openTSNE's defaults).
struct InterpolationGrid {
  int pointsPerBox = 3;  ///< interpolation nodes per box and axis
  int minBoxes = 50;     ///< boxes per axis at least
  double boxWidth = 1;   ///< boxes per axis grow so a box spans at most this
};

/// For every point (x, y interleaved) the repulsion sum_j (q_ij Z)^2 (y_i - y_j)
/// into `repulsive` (2N); returns Z = sum_{i != j} q_ij Z. Uses the squared
/// Cauchy kernel with charges 1, x, y, |y|^2: (1 + d^2) (q Z)^2 = q Z gives Z
/// from the same four potentials.
double interpolatedRepulsion(const std::vector<double>& xy, int threads, std::vector<double>& repulsive,
                             const InterpolationGrid& grid = {});

}  // namespace pl
