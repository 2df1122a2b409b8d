#include "projection/umap_fuzzy_set.h"

#include <algorithm>
#include <cmath>

#include "projection/parallel_for.h"

namespace pl {

namespace {

constexpr double kMinScale = 1e-3;  // umap-learn's MIN_K_DIST_SCALE

// umap-learn's smooth_knn_dist for one point; writes its k memberships.
void memberships(const float* distances, int k, double meanOfAll, double* out) {
  const double target = std::log2(static_cast<double>(k + 1));
  double rho = 0;
  for (int j = 0; j < k; ++j) {
    if (distances[j] > 0) {
      rho = distances[j];
      break;
    }
  }
  double lo = 0, hi = INFINITY, sigma = 1;
  for (int step = 0; step < 64; ++step) {
    double sum = 0;
    for (int j = 0; j < k; ++j) {
      double d = distances[j] - rho;
      sum += d > 0 ? std::exp(-d / sigma) : 1.0;
    }
    if (std::abs(sum - target) < 1e-5) break;
    if (sum > target) {
      hi = sigma;
      sigma = (lo + hi) / 2;
    } else {
      lo = sigma;
      sigma = std::isinf(hi) ? sigma * 2 : (lo + hi) / 2;
    }
  }
  // A floor on sigma, so a point with k identical neighbours keeps finite weights.
  double mean = 0;
  for (int j = 0; j < k; ++j) mean += distances[j];
  mean /= k;
  sigma = std::max(sigma, kMinScale * (rho > 0 ? mean : meanOfAll));
  for (int j = 0; j < k; ++j) {
    double d = distances[j] - rho;
    out[j] = d <= 0 || sigma == 0 ? 1.0 : std::exp(-d / sigma);
  }
}

}  // namespace

Result<SparseAffinities> umapFuzzySet(const KnnGraph& graph, int threads, JobContext& context) {
  const int64_t n = graph.rows;
  const int k = graph.k;
  if (k < 1) return Error{"UMAP needs at least one neighbour per point"};
  double meanOfAll = 0;
  for (float d : graph.distances) meanOfAll += d;
  meanOfAll /= std::max<size_t>(1, graph.distances.size());
  auto edges = weighKnnEdges(graph, threads, context, [&](const float* d, int kk, double* w) {
    memberships(d, kk, meanOfAll, w);
  });
  if (!edges) return edges.error();
  return symmetriseByFuzzyUnion(n, *edges);
}

}  // namespace pl
