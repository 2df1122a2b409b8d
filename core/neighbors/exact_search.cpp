#include "neighbors/exact_search.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <utility>

#include "model/torch_runtime.h"
#include "neighbors/quantised_scan.h"

namespace pl {

namespace {

/// The best `take` scores of one block of rows, as (scores, rows) tensors [Q, take].
using BlockTop = std::pair<torch::Tensor, torch::Tensor>;

class ExactSearch final : public NeighborSearch {
 public:
  ExactSearch(std::shared_ptr<const EmbeddingMatrix> matrix, const ExactSearchOptions& options)
      : matrix_(std::move(matrix)), options_(options) {
    if (options_.threads > 0) setTorchThreads(options_.threads);
  }

  std::vector<Neighbor> search(const float* query, int k, int64_t excludeRow) const override {
    return std::move(searchManyExcluding(query, 1, k, &excludeRow).front());
  }

  std::vector<std::vector<Neighbor>> searchMany(const float* queries, int64_t count,
                                                int k) const override {
    return searchManyExcluding(queries, count, k, nullptr);
  }

  std::vector<std::vector<Neighbor>> searchManyExcluding(
      const float* queries, int64_t count, int k, const int64_t* excludeRows) const override {
    std::vector<std::vector<Neighbor>> results;
    results.reserve(static_cast<size_t>(std::max<int64_t>(count, 0)));
    const int64_t step = std::max<int64_t>(1, options_.maxQueryBlock);
    for (int64_t first = 0; first < count; first += step) {
      const int64_t n = std::min(step, count - first);
      auto block = searchQueryBlock(queries + first * matrix_->dim, n, k,
                                    excludeRows ? excludeRows + first : nullptr);
      for (auto& r : block) results.push_back(std::move(r));
    }
    return results;
  }

  NeighborMethod method() const override { return NeighborMethod::Exact; }
  const EmbeddingMatrix& matrix() const override { return *matrix_; }
  int64_t indexBytes() const override { return quantisedBytes_.load(); }

 private:
  std::vector<std::vector<Neighbor>> searchQueryBlock(const float* queries, int64_t count, int k,
                                                      const int64_t* excludeRows) const {
    torch::NoGradGuard noGrad;
    const int64_t rows = matrix_->rows(), dim = matrix_->dim;
    std::vector<std::vector<Neighbor>> results(static_cast<size_t>(count));
    const int64_t keep = std::min<int64_t>(k, rows);
    if (keep <= 0 || count <= 0) return results;
    if (useQuantisedScan(queries, count, keep)) {
      const QuantisedRows& codes = quantisedRows();
      for (int64_t i = 0; i < count; ++i) {
        results[static_cast<size_t>(i)] =
            boundedScanTopK(codes, matrix_->values.data(), queries + i * dim, static_cast<int>(keep),
                            excludeRows ? excludeRows[i] : -1, at::get_num_threads());
      }
      return results;
    }
    // from_blob borrows the memory: neither the matrix nor the queries are copied.
    auto base = torch::from_blob(const_cast<float*>(matrix_->values.data()), {rows, dim});
    auto q = torch::from_blob(const_cast<float*>(queries), {count, dim});

    // Blocks are sized so that all threads' score blocks together stay within
    // the budget, and there are at least as many blocks as threads (a single
    // query is then split across the cores too).
    const int threads = std::max(1, at::get_num_threads());
    const int64_t budgetRows =
        options_.scoreBlockBytes / threads / (count * int64_t(sizeof(float)));
    const int64_t perThread = (rows + threads - 1) / threads;
    const int64_t blockRows = std::max(keep, std::min(std::max<int64_t>(budgetRows, 1), perThread));
    const int64_t blocks = (rows + blockRows - 1) / blockRows;
    std::vector<BlockTop> tops(static_cast<size_t>(blocks));
    at::parallel_for(0, blocks, 1, [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b) {
        tops[static_cast<size_t>(b)] =
            blockTop(base, q, b * blockRows, blockRows, keep, excludeRows);
      }
    });
    auto [scores, indices] = mergeTops(tops, keep);
    scores = scores.contiguous();
    indices = indices.contiguous();
    const float* s = scores.data_ptr<float>();
    const int64_t* r = indices.data_ptr<int64_t>();
    const int64_t width = scores.size(1);
    for (int64_t i = 0; i < count; ++i) {
      auto& out = results[static_cast<size_t>(i)];
      out.reserve(static_cast<size_t>(width));
      for (int64_t j = 0; j < width; ++j) {
        // -inf marks an excluded row that only made the list because k >= rows.
        if (std::isinf(s[i * width + j])) continue;
        out.push_back({r[i * width + j], s[i * width + j]});
      }
    }
    return results;
  }

  BlockTop blockTop(const torch::Tensor& base, const torch::Tensor& q, int64_t start,
                    int64_t blockRows, int64_t keep, const int64_t* excludeRows) const {
    const int64_t length = std::min(blockRows, base.size(0) - start);
    auto block = base.narrow(0, start, length);
    // One query is a matrix-vector product: gemv streams the rows once, where
    // a 1-row gemm may pack them first.
    auto scores =
        q.size(0) == 1 ? torch::mv(block, q[0]).unsqueeze(0) : torch::mm(q, block.t()).contiguous();
    if (excludeRows) {
      float* s = scores.data_ptr<float>();
      for (int64_t i = 0; i < q.size(0); ++i) {
        const int64_t e = excludeRows[i] - start;
        if (e >= 0 && e < length) s[i * length + e] = -std::numeric_limits<float>::infinity();
      }
    }
    auto [values, positions] = torch::topk(scores, std::min(keep, length), 1, true, true);
    return {values, positions + start};
  }

  /// Few queries against many rows: the case bound by memory traffic. The
  /// scan needs finite, non-zero queries (a zero query bounds nothing).
  bool useQuantisedScan(const float* queries, int64_t count, int64_t keep) const {
    const int64_t rows = matrix_->rows();
    if (options_.quantisedScanMinRows <= 0 || rows < options_.quantisedScanMinRows) return false;
    if (count > kQuantisedScanMaxQueries || keep * 8 > rows) return false;
    for (int64_t i = 0; i < count * matrix_->dim; ++i) {
      if (!std::isfinite(queries[i])) return false;
    }
    for (int64_t i = 0; i < count; ++i) {
      const float* q = queries + i * matrix_->dim;
      if (std::all_of(q, q + matrix_->dim, [](float v) { return v == 0.0f; })) return false;
    }
    return true;
  }

  const QuantisedRows& quantisedRows() const {
    std::call_once(quantiseOnce_, [&] {
      quantised_ = std::make_unique<QuantisedRows>(
          quantiseRows(matrix_->values.data(), matrix_->rows(), matrix_->dim));
      quantisedBytes_.store(quantised_->bytes());
    });
    return *quantised_;
  }

  static BlockTop mergeTops(const std::vector<BlockTop>& tops, int64_t keep) {
    if (tops.size() == 1) return tops.front();
    std::vector<torch::Tensor> scores, rows;
    for (const auto& t : tops) {
      scores.push_back(t.first);
      rows.push_back(t.second);
    }
    auto allScores = torch::cat(scores, 1);
    auto allRows = torch::cat(rows, 1);
    auto [values, picked] =
        torch::topk(allScores, std::min(keep, allScores.size(1)), 1, true, true);
    return {values, allRows.gather(1, picked)};
  }

  std::shared_ptr<const EmbeddingMatrix> matrix_;
  ExactSearchOptions options_;
  mutable std::once_flag quantiseOnce_;
  mutable std::unique_ptr<QuantisedRows> quantised_;
  mutable std::atomic<int64_t> quantisedBytes_{0};
};

}  // namespace

std::unique_ptr<NeighborSearch> makeExactSearch(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                const ExactSearchOptions& options) {
  return std::make_unique<ExactSearch>(std::move(matrix), options);
}

std::unique_ptr<NeighborSearch> makeExactSearch(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                int threads) {
  ExactSearchOptions options;
  options.threads = threads;
  return makeExactSearch(std::move(matrix), options);
}

}  // namespace pl
