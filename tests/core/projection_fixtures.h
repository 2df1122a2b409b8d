#pragma once
// Data for the projection tests: well-separated Gaussian blobs, their
// brute-force kNN graph, and checks of a map's separation.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "neighbors/neighbor_search.h"

namespace pl::test {

/// `perBlob` points around each of `blobs` random centres in `dim`
/// dimensions, L2-normalised (the embeddings' own form).
struct Blobs {
  int64_t n = 0, dim = 0;
  std::vector<float> values;
  std::vector<int> labels;
};

inline Blobs makeBlobs(int blobs, int perBlob, int dim, uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, 1);
  Blobs b;
  b.n = int64_t{blobs} * perBlob;
  b.dim = dim;
  std::vector<float> centres(static_cast<size_t>(blobs * dim));
  for (float& c : centres) c = 10 * normal(rng);
  for (int i = 0; i < b.n; ++i) {
    int label = i % blobs;
    double norm = 0;
    for (int d = 0; d < dim; ++d) {
      float v = centres[static_cast<size_t>(label * dim + d)] + normal(rng);
      b.values.push_back(v);
      norm += double(v) * v;
    }
    for (int d = 0; d < dim; ++d) b.values[static_cast<size_t>(i * dim + d)] /= static_cast<float>(std::sqrt(norm));
    b.labels.push_back(label);
  }
  return b;
}

/// The exact kNN graph by brute force (cosine distance, the point itself left out).
inline KnnGraph bruteForceGraph(const std::vector<float>& values, int64_t n, int64_t dim, int k) {
  KnnGraph g;
  g.rows = n;
  g.k = k;
  std::vector<std::pair<float, int32_t>> row(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float dot = 0;
      for (int64_t d = 0; d < dim; ++d) dot += values[static_cast<size_t>(i * dim + d)] * values[static_cast<size_t>(j * dim + d)];
      row[static_cast<size_t>(j)] = {j == i ? 1e9f : 1.0f - dot, static_cast<int32_t>(j)};
    }
    std::partial_sort(row.begin(), row.begin() + k, row.end());
    for (int j = 0; j < k; ++j) {
      g.indices.push_back(row[static_cast<size_t>(j)].second);
      g.distances.push_back(std::max(0.0f, row[static_cast<size_t>(j)].first));
    }
  }
  return g;
}

/// Whether every pair of blob centroids in the map lies further apart than
/// twice the larger of the two blobs' mean radius.
inline bool blobsSeparated(const std::vector<float>& xy, const std::vector<int>& labels, int blobs) {
  std::vector<double> cx(blobs, 0), cy(blobs, 0), radius(blobs, 0), count(blobs, 0);
  for (size_t i = 0; i < labels.size(); ++i) {
    cx[labels[i]] += xy[2 * i];
    cy[labels[i]] += xy[2 * i + 1];
    count[labels[i]] += 1;
  }
  for (int b = 0; b < blobs; ++b) {
    cx[b] /= count[b];
    cy[b] /= count[b];
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    radius[labels[i]] += std::hypot(xy[2 * i] - cx[labels[i]], xy[2 * i + 1] - cy[labels[i]]) / count[labels[i]];
  }
  for (int a = 0; a < blobs; ++a) {
    for (int b = a + 1; b < blobs; ++b) {
      if (std::hypot(cx[a] - cx[b], cy[a] - cy[b]) < 2 * std::max(radius[a], radius[b])) return false;
    }
  }
  return true;
}

}  // namespace pl::test
