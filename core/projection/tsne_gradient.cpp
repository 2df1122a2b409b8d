#include "projection/tsne_gradient.h"

#include <cmath>

#include "projection/parallel_for.h"
#include "projection/tsne_interpolation.h"

namespace pl {

namespace {

// sum_j p_ij q_ij Z (y_i - y_j): the pull of the neighbours.
void attraction(const SparseAffinities& p, const std::vector<double>& xy, int64_t i, double& gx, double& gy) {
  const double xi = xy[2 * i], yi = xy[2 * i + 1];
  gx = 0;
  gy = 0;
  for (int64_t e = p.rowStart[static_cast<size_t>(i)]; e < p.rowStart[static_cast<size_t>(i) + 1]; ++e) {
    const int64_t j = p.columns[static_cast<size_t>(e)];
    const double dx = xi - xy[2 * j], dy = yi - xy[2 * j + 1];
    const double w = p.values[static_cast<size_t>(e)] / (1.0 + dx * dx + dy * dy);
    gx += w * dx;
    gy += w * dy;
  }
}

}  // namespace

double tsneGradient(const SparseAffinities& p, const std::vector<double>& xy, double exaggeration,
                    double theta, int threads, QuadTree& tree, std::vector<double>& gradient) {
  const int64_t n = p.rows;
  gradient.assign(static_cast<size_t>(2 * n), 0.0);
  tree.build(xy.data(), n);
  // Per-point sums of q Z, added up in a fixed order afterwards so the
  // result does not depend on how the threads were scheduled.
  std::vector<double> sumQ(static_cast<size_t>(n));
  std::vector<double> repulsive(static_cast<size_t>(2 * n));
  const std::vector<int32_t> order = tree.depthFirstOrder();
  parallelFor(n, threads, [&](int64_t begin, int64_t end, int) {
    for (int64_t at = begin; at < end; ++at) {
      const int64_t i = order[at];
      Repulsion r = tree.repulsion(i, xy[2 * i], xy[2 * i + 1], theta);
      sumQ[static_cast<size_t>(i)] = r.sumQ;
      repulsive[2 * i] = r.forceX;
      repulsive[2 * i + 1] = r.forceY;
      double ax, ay;
      attraction(p, xy, i, ax, ay);
      gradient[2 * i] = exaggeration * ax;
      gradient[2 * i + 1] = exaggeration * ay;
    }
  });
  double z = 0;
  for (double s : sumQ) z += s;
  z = std::max(z, 1e-300);
  for (int64_t c = 0; c < 2 * n; ++c) gradient[c] -= repulsive[c] / z;
  return z;
}

double tsneGradientInterpolated(const SparseAffinities& p, const std::vector<double>& xy, double exaggeration,
                                int threads, std::vector<double>& gradient) {
  const int64_t n = p.rows;
  std::vector<double> repulsive;
  const double z = interpolatedRepulsion(xy, threads, repulsive);
  gradient.assign(static_cast<size_t>(2 * n), 0.0);
  parallelFor(n, threads, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      double ax, ay;
      attraction(p, xy, i, ax, ay);
      gradient[2 * i] = exaggeration * ax - repulsive[2 * i] / z;
      gradient[2 * i + 1] = exaggeration * ay - repulsive[2 * i + 1] / z;
    }
  });
  return z;
}

double exactTsneGradient(const SparseAffinities& p, const std::vector<double>& xy, double exaggeration,
                         std::vector<double>& gradient) {
  const int64_t n = p.rows;
  gradient.assign(static_cast<size_t>(2 * n), 0.0);
  std::vector<double> repulsive(static_cast<size_t>(2 * n), 0.0);
  double z = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
      const double q = 1.0 / (1.0 + dx * dx + dy * dy);
      z += q;
      repulsive[2 * i] += q * q * dx;
      repulsive[2 * i + 1] += q * q * dy;
    }
    double ax, ay;
    attraction(p, xy, i, ax, ay);
    gradient[2 * i] = exaggeration * ax;
    gradient[2 * i + 1] = exaggeration * ay;
  }
  for (int64_t c = 0; c < 2 * n; ++c) gradient[c] -= repulsive[c] / z;
  return z;
}

double tsneKlDivergence(const SparseAffinities& p, const std::vector<double>& xy, double z) {
  double kl = 0;
  for (int64_t i = 0; i < p.rows; ++i) {
    for (int64_t e = p.rowStart[static_cast<size_t>(i)]; e < p.rowStart[static_cast<size_t>(i) + 1]; ++e) {
      const int64_t j = p.columns[static_cast<size_t>(e)];
      const double pij = p.values[static_cast<size_t>(e)];
      if (pij <= 0) continue;
      const double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
      const double qij = 1.0 / (1.0 + dx * dx + dy * dy) / z;
      kl += pij * std::log(pij / std::max(qij, 1e-300));
    }
  }
  return kl;
}

}  // namespace pl
