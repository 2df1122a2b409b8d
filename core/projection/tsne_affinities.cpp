#include "projection/tsne_affinities.h"

#include <algorithm>
#include <cmath>

#include "projection/parallel_for.h"

namespace pl {

namespace {

// Binary search of beta = 1 / (2 sigma^2) so that the entropy of
// p_j ~ exp(-beta d_j^2) is log(perplexity); writes the normalised p_j.
void conditionalRow(const float* distances, int k, double perplexity, double* p) {
  const double target = std::log(perplexity);
  double dmin = 2.0 * distances[0];
  double beta = 1.0, lo = 0.0, hi = INFINITY;
  for (int step = 0; step < 200; ++step) {
    double sum = 0, weighted = 0;
    for (int j = 0; j < k; ++j) {
      // Shifted by the nearest distance: exp() of large beta * d^2 underflows otherwise.
      double d = 2.0 * distances[j] - dmin;
      p[j] = std::exp(-beta * d);
      sum += p[j];
      weighted += d * p[j];
    }
    double entropy = std::log(sum) + beta * weighted / sum;
    for (int j = 0; j < k; ++j) p[j] /= sum;
    double gap = entropy - target;
    if (std::abs(gap) < 1e-5) return;
    if (gap > 0) {  // too flat: narrow the Gaussian
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
}

}  // namespace

int tsneNeighborCount(int64_t rows, double perplexity) {
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(rows - 1, std::llround(3 * perplexity))));
}

Result<SparseAffinities> tsneAffinities(const KnnGraph& graph, double perplexity, int threads,
                                        JobContext& context) {
  const int64_t n = graph.rows;
  const int k = graph.k;
  const double effective = std::max(1.0, std::min(perplexity, k / 3.0));
  auto edges = weighKnnEdges(graph, threads, context, [&](const float* d, int kk, double* w) {
    conditionalRow(d, kk, effective, w);
  });
  if (!edges) return edges.error();
  auto p = symmetriseBySum(n, *edges);
  // Rows each summed to one: the total is 2N before this, 1 after.
  double total = 0;
  for (double v : p.values) total += v;
  for (double& v : p.values) v /= total;
  return p;
}

}  // namespace pl
