#include "eval/sparse_query_knn.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <numeric>

namespace pl {

std::vector<std::vector<int32_t>> sparseQueryTopK(const SparseRows& x,
                                                  const std::vector<int64_t>& queryRows, int k,
                                                  JobContext& context) {
  const int64_t n = x.rows();
  // Column-major copy (posting lists): a query touches only the rows that
  // share one of its n-grams.
  std::vector<int64_t> start(static_cast<size_t>(x.cols) + 1, 0);
  for (int32_t c : x.indices) ++start[static_cast<size_t>(c) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<int32_t> postRows(x.indices.size());
  std::vector<float> postValues(x.indices.size());
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) {
      auto at = static_cast<size_t>(fill[static_cast<size_t>(x.indices[i])]++);
      postRows[at] = static_cast<int32_t>(r);
      postValues[at] = x.values[i];
    }
  }

  std::vector<std::vector<int32_t>> out(queryRows.size());
  const auto total = static_cast<int64_t>(queryRows.size());
  const int64_t block = 256;
  for (int64_t begin = 0; begin < total; begin += block) {
    if (context.stopRequested()) return {};
    const int64_t end = std::min(total, begin + block);
    at::parallel_for(begin, end, 16, [&](int64_t from, int64_t to) {
      std::vector<float> score(static_cast<size_t>(n), 0.f);
      std::vector<int32_t> touched;
      for (int64_t q = from; q < to; ++q) {
        const int64_t row = queryRows[static_cast<size_t>(q)];
        touched.clear();
        for (int64_t i = x.indptr[row]; i < x.indptr[row + 1]; ++i) {
          auto c = static_cast<size_t>(x.indices[i]);
          for (int64_t p = start[c]; p < start[c + 1]; ++p) {
            auto other = static_cast<size_t>(postRows[static_cast<size_t>(p)]);
            // Values are positive, so a row's first contribution makes it non-zero.
            if (score[other] == 0.f) touched.push_back(static_cast<int32_t>(other));
            score[other] += x.values[i] * postValues[static_cast<size_t>(p)];
          }
        }
        std::vector<int32_t> candidates;
        for (int32_t r : touched) {
          if (r != row) candidates.push_back(r);
        }
        // Ties by row, so the answer does not depend on thread timing.
        auto better = [&](int32_t a, int32_t b) {
          float sa = score[static_cast<size_t>(a)], sb = score[static_cast<size_t>(b)];
          return sa != sb ? sa > sb : a < b;
        };
        size_t keep = std::min(candidates.size(), static_cast<size_t>(std::max(k, 0)));
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                          candidates.end(), better);
        candidates.resize(keep);
        out[static_cast<size_t>(q)] = std::move(candidates);
        for (int32_t r : touched) score[static_cast<size_t>(r)] = 0.f;
      }
    });
    context.progress(end, total, "Finding TF-IDF neighbours");
  }
  if (context.stopRequested()) return {};
  return out;
}

}  // namespace pl
