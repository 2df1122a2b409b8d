#include "eval/sparse_knn.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace pl {

namespace {

// Columns by falling document frequency: the first `dense` go to BLAS.
std::vector<int32_t> columnsByFrequency(const SparseRows& x) {
  std::vector<int64_t> df(static_cast<size_t>(x.cols), 0);
  for (int32_t c : x.indices) ++df[static_cast<size_t>(c)];
  std::vector<int32_t> order(static_cast<size_t>(x.cols));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return df[a] > df[b]; });
  return order;
}

// The tail columns as posting lists (row, value), column-major.
struct Postings {
  std::vector<int64_t> start;
  std::vector<int32_t> rows;
  std::vector<float> values;
};

}  // namespace

SparseKnn sparseCosineKnn(const SparseRows& x, int k, JobContext& context, int denseColumns) {
  torch::NoGradGuard noGrad;
  const int64_t n = x.rows();
  auto order = columnsByFrequency(x);
  const int64_t dense = std::min<int64_t>(denseColumns, x.cols);
  std::vector<int32_t> slot(static_cast<size_t>(x.cols), -1);  // dense slot, or -1 (tail)
  for (int64_t j = 0; j < dense; ++j) slot[static_cast<size_t>(order[static_cast<size_t>(j)])] = static_cast<int32_t>(j);

  auto head = torch::zeros({n, std::max<int64_t>(dense, 1)});
  float* h = head.data_ptr<float>();
  Postings tail;
  tail.start.assign(static_cast<size_t>(x.cols) + 1, 0);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) {
      int32_t s = slot[static_cast<size_t>(x.indices[i])];
      if (s >= 0) {
        h[r * head.size(1) + s] = x.values[i];
      } else {
        ++tail.start[static_cast<size_t>(x.indices[i]) + 1];
      }
    }
  }
  std::partial_sum(tail.start.begin(), tail.start.end(), tail.start.begin());
  tail.rows.resize(static_cast<size_t>(tail.start.back()));
  tail.values.resize(tail.rows.size());
  std::vector<int64_t> fill(tail.start.begin(), tail.start.end() - 1);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) {
      int32_t c = x.indices[i];
      if (slot[static_cast<size_t>(c)] >= 0) continue;
      int64_t at = fill[static_cast<size_t>(c)]++;
      tail.rows[static_cast<size_t>(at)] = static_cast<int32_t>(r);
      tail.values[static_cast<size_t>(at)] = x.values[i];
    }
  }

  SparseKnn out;
  const int kk = static_cast<int>(std::min<int64_t>(k, std::max<int64_t>(n - 1, 0)));
  out.k = k;
  out.indices.assign(static_cast<size_t>(n * k), -1);
  out.similarities.assign(static_cast<size_t>(n * k), 0.f);
  const int64_t chunk = 512;
  for (int64_t begin = 0; begin < n; begin += chunk) {
    if (context.stopRequested()) return {};
    int64_t end = std::min(n, begin + chunk);
    auto scores = head.slice(0, begin, end).mm(head.t()).contiguous();
    float* s = scores.data_ptr<float>();
    at::parallel_for(begin, end, 16, [&](int64_t from, int64_t to) {
      for (int64_t r = from; r < to; ++r) {
        float* row = s + (r - begin) * n;
        for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) {
          int32_t c = x.indices[i];
          if (slot[static_cast<size_t>(c)] >= 0) continue;
          for (int64_t p = tail.start[static_cast<size_t>(c)]; p < tail.start[static_cast<size_t>(c) + 1]; ++p) {
            row[tail.rows[static_cast<size_t>(p)]] += x.values[i] * tail.values[static_cast<size_t>(p)];
          }
        }
        row[r] = -std::numeric_limits<float>::infinity();  // leave one out
      }
    });
    if (kk > 0) {
      auto top = scores.topk(kk, 1);
      auto values = std::get<0>(top).contiguous();
      auto indices = std::get<1>(top).contiguous();
      for (int64_t r = begin; r < end; ++r) {
        for (int j = 0; j < kk; ++j) {
          size_t at = static_cast<size_t>(r * k + j);
          out.indices[at] = static_cast<int32_t>(indices.data_ptr<int64_t>()[(r - begin) * kk + j]);
          out.similarities[at] = values.data_ptr<float>()[(r - begin) * kk + j];
        }
      }
    }
    context.progress(end, n, "Finding TF-IDF neighbours");
  }
  return out;
}

}  // namespace pl
