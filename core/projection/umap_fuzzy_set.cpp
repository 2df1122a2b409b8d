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
  WeightedEdges edges;
  edges.from.resize(static_cast<size_t>(n * k));
  edges.to.assign(graph.indices.begin(), graph.indices.end());
  edges.weight.resize(static_cast<size_t>(n * k));
  const std::string phase = "Computing similarities";
  const int64_t blocks = std::max<int64_t>(1, std::min<int64_t>(100, n / 1000));
  for (int64_t b = 0; b < blocks; ++b) {
    if (context.stopRequested()) return Error{"projection cancelled"};
    context.progress(b, blocks, phase);
    const int64_t begin = n * b / blocks, end = n * (b + 1) / blocks;
    parallelFor(end - begin, threads, [&](int64_t lo, int64_t hi, int) {
      for (int64_t i = begin + lo; i < begin + hi; ++i) {
        memberships(graph.distances.data() + i * k, k, meanOfAll, edges.weight.data() + i * k);
        std::fill_n(edges.from.begin() + i * k, k, static_cast<int32_t>(i));
      }
    });
  }
  context.progress(blocks, blocks, phase);
  return symmetriseByFuzzyUnion(n, edges);
}

}  // namespace pl
