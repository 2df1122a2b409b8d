#include "projection/projection_quality.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace pl {

namespace {

std::vector<double> distancesFrom(const float* points, int64_t n, int64_t dim, int64_t i) {
  std::vector<double> d(n);
  const float* a = points + i * dim;
  for (int64_t j = 0; j < n; ++j) {
    const float* b = points + j * dim;
    double s = 0;
    for (int64_t c = 0; c < dim; ++c) s += (double(a[c]) - b[c]) * (double(a[c]) - b[c]);
    d[j] = s;
  }
  d[i] = -1;  // the point itself sorts first and is skipped
  return d;
}

// Points ordered by distance, ties broken by index so results are stable.
std::vector<int64_t> order(const std::vector<double>& d) {
  std::vector<int64_t> idx(d.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) { return d[a] < d[b] || (d[a] == d[b] && a < b); });
  return idx;
}

}  // namespace

double trustworthiness(const float* high, int64_t n, int64_t dim, const float* xy, int k) {
  if (n < 2 || k < 1 || 2 * n - 3 * k - 1 <= 0) return 1.0;
  double penalty = 0;
  std::vector<int64_t> rank(n);
  for (int64_t i = 0; i < n; ++i) {
    auto highOrder = order(distancesFrom(high, n, dim, i));
    for (int64_t r = 0; r < n; ++r) rank[highOrder[r]] = r;  // rank 1 = nearest other point
    auto lowOrder = order(distancesFrom(xy, n, 2, i));
    for (int j = 1; j <= k && j < n; ++j) {
      int64_t r = rank[lowOrder[j]];
      if (r > k) penalty += static_cast<double>(r - k);
    }
  }
  return 1.0 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)) * penalty;
}

double sampledTrustworthiness(const float* high, int64_t n, int64_t dim, const float* xy, int k,
                              int64_t maxSample, uint64_t seed) {
  if (n <= maxSample) return trustworthiness(high, n, dim, xy, k);
  std::vector<int64_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(maxSample);
  std::sort(all.begin(), all.end());
  std::vector<float> h(maxSample * dim), l(maxSample * 2);
  for (int64_t s = 0; s < maxSample; ++s) {
    std::copy_n(high + all[s] * dim, dim, h.begin() + s * dim);
    std::copy_n(xy + all[s] * 2, 2, l.begin() + s * 2);
  }
  return trustworthiness(h.data(), maxSample, dim, l.data(), k);
}

}  // namespace pl
