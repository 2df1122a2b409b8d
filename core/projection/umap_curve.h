#pragma once
// UMAP's low-dimensional similarity 1 / (1 + a d^(2b)), with a and b fitted
// to the curve min_dist sets, as umap-learn's find_ab_params does.

namespace pl {

/// The two parameters of UMAP's output kernel.
struct UmapCurve {
  double a = 1.577;
  double b = 0.895;
};

/// Least-squares fit (Gauss-Newton with step halving) of 1 / (1 + a x^(2b))
/// to 1 for x < minDist and exp(-(x - minDist) / spread) beyond, on 300
/// points over [0, 3 spread]. minDist 0.1, spread 1 gives a ~ 1.58, b ~ 0.90.
UmapCurve fitUmapCurve(double minDist, double spread = 1.0);

}  // namespace pl
