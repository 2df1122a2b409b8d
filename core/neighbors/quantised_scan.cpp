#include "neighbors/quantised_scan.h"

#include <ATen/Parallel.h>
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>

namespace pl {

namespace {

constexpr int64_t kCodeAlignment = 32;
/// Covers float rounding in the approximate and the exact scores (|score| <=
/// 1, a few hundred terms): far above the error, far below score gaps.
constexpr float kRoundingSlack = 1e-4f;

/// Symmetric int8 codes of `n` values with the scale that maps the largest
/// magnitude to 127; returns the scale (0 for an all-zero or non-finite row).
float quantise(const float* x, int64_t n, int8_t* codes) {
  float largest = 0;
  for (int64_t j = 0; j < n; ++j) largest = std::max(largest, std::fabs(x[j]));
  if (!(largest > 0) || !std::isfinite(largest)) {
    std::fill(codes, codes + n, int8_t{0});
    return 0;
  }
  const float scale = largest / 127.0f;
  for (int64_t j = 0; j < n; ++j) {
    codes[j] = static_cast<int8_t>(std::clamp(std::lround(x[j] / scale), -127l, 127l));
  }
  return scale;
}

/// |x - scale*code| and |scale*code| in double (the bound must not be eroded
/// by its own rounding).
std::pair<float, float> errorAndCodeNorm(const float* x, const int8_t* codes, int64_t n,
                                         float scale) {
  double error = 0, norm = 0;
  for (int64_t j = 0; j < n; ++j) {
    const double approx = static_cast<double>(scale) * codes[j];
    error += (x[j] - approx) * (x[j] - approx);
    norm += approx * approx;
  }
  return {static_cast<float>(std::sqrt(error)), static_cast<float>(std::sqrt(norm))};
}

float exactDot(const float* a, const float* b, int64_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += a[j] * b[j];
    s1 += a[j + 1] * b[j + 1];
    s2 += a[j + 2] * b[j + 2];
    s3 += a[j + 3] * b[j + 3];
  }
  for (; j < n; ++j) s0 += a[j] * b[j];
  return (s0 + s1) + (s2 + s3);
}

/// The quantised query and the constants of the error bound.
struct QueryCodes {
  std::vector<int16_t> codes;  ///< stride values, zero padding (int16 for madd)
  float scale = 0;
  float norm = 0;       ///< |q|
  float errorNorm = 0;  ///< |q - scale*code|
};

QueryCodes quantiseQuery(const float* query, int64_t dim, int64_t stride) {
  QueryCodes q;
  std::vector<int8_t> narrow(static_cast<size_t>(dim));
  q.scale = quantise(query, dim, narrow.data());
  auto [error, ignored] = errorAndCodeNorm(query, narrow.data(), dim, q.scale);
  (void)ignored;
  q.errorNorm = error;
  double norm = 0;
  for (int64_t j = 0; j < dim; ++j) norm += static_cast<double>(query[j]) * query[j];
  q.norm = static_cast<float>(std::sqrt(norm));
  q.codes.assign(static_cast<size_t>(stride), 0);
  std::copy(narrow.begin(), narrow.end(), q.codes.begin());
  return q;
}

/// One worker's share of the scan: the k best lower bounds so far (a
/// min-heap, so its top is the threshold) and every row whose upper bound
/// reached the threshold at the time it was seen.
class BoundTracker {
 public:
  explicit BoundTracker(int k) : k_(static_cast<size_t>(k)) { lowers_.reserve(k_); }

  void consider(int64_t row, float approx, float bound) {
    const float upper = approx + bound;
    if (upper < threshold_) return;
    candidates_.push_back({upper, row});
    const float lower = approx - bound;
    if (lowers_.size() < k_) {
      lowers_.push_back(lower);
      std::push_heap(lowers_.begin(), lowers_.end(), std::greater<>());
      if (lowers_.size() == k_) threshold_ = lowers_.front();
    } else if (lower > lowers_.front()) {
      std::pop_heap(lowers_.begin(), lowers_.end(), std::greater<>());
      lowers_.back() = lower;
      std::push_heap(lowers_.begin(), lowers_.end(), std::greater<>());
      threshold_ = lowers_.front();
    }
    // Early rows are kept while the threshold is still low; drop the ones it
    // has since overtaken so the list stays short.
    if (candidates_.size() > compactAt_) {
      dropBelow(threshold_);
      compactAt_ = std::max<size_t>(compactAt_, 2 * candidates_.size());
    }
  }

  void dropBelow(float threshold) {
    candidates_.erase(std::remove_if(candidates_.begin(), candidates_.end(),
                                     [&](const auto& c) { return c.first < threshold; }),
                      candidates_.end());
  }

  const std::vector<float>& lowers() const { return lowers_; }
  const std::vector<std::pair<float, int64_t>>& candidates() const { return candidates_; }

 private:
  size_t k_;
  std::vector<float> lowers_;
  float threshold_ = -std::numeric_limits<float>::infinity();
  std::vector<std::pair<float, int64_t>> candidates_;
  size_t compactAt_ = 4096;
};

/// Scores rows [begin, end) from their codes and feeds the tracker.
template <typename Dot>
__attribute__((always_inline)) inline void scanRows(const QuantisedRows& rows, const QueryCodes& q, int64_t begin, int64_t end,
              int64_t excludeRow, BoundTracker& tracker, Dot dot) {
  const int8_t* codes = rows.codes.data();
  for (int64_t i = begin; i < end; ++i) {
    if (i == excludeRow) continue;
    const int32_t d = dot(codes + i * rows.stride, q.codes.data(), rows.stride);
    const float approx = q.scale * rows.scales[i] * static_cast<float>(d);
    const float bound =
        q.norm * rows.errorNorms[i] + q.errorNorm * rows.codeNorms[i] + kRoundingSlack;
    tracker.consider(i, approx, bound);
  }
}

int32_t dotPortable(const int8_t* row, const int16_t* q, int64_t stride) {
  int32_t sum = 0;
  for (int64_t j = 0; j < stride; ++j) sum += static_cast<int32_t>(row[j]) * q[j];
  return sum;
}

// AVX2 on its own (target attribute; Debian builds for the x86-64 baseline),
// chosen at run time. Widening int8 to int16 and madd keeps every product and
// pair sum exact (|c*d| <= 127*127).
__attribute__((target("avx2"))) void scanRowsAvx2(const QuantisedRows& rows, const QueryCodes& q,
                                                  int64_t begin, int64_t end, int64_t excludeRow,
                                                  BoundTracker& tracker) {
  scanRows(rows, q, begin, end, excludeRow, tracker,
           [](const int8_t* row, const int16_t* query, int64_t stride)
               __attribute__((target("avx2"))) {
                 __m256i acc = _mm256_setzero_si256();
                 for (int64_t j = 0; j < stride; j += 16) {
                   const __m256i r = _mm256_cvtepi8_epi16(
                       _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + j)));
                   const __m256i v =
                       _mm256_loadu_si256(reinterpret_cast<const __m256i*>(query + j));
                   acc = _mm256_add_epi32(acc, _mm256_madd_epi16(r, v));
                 }
                 const __m128i half = _mm_add_epi32(_mm256_castsi256_si128(acc),
                                                    _mm256_extracti128_si256(acc, 1));
                 const __m128i quarter = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0x4e));
                 const __m128i last = _mm_add_epi32(quarter, _mm_shuffle_epi32(quarter, 0xb1));
                 return _mm_cvtsi128_si32(last);
               });
}

bool haveAvx2() {
  static const bool have = __builtin_cpu_supports("avx2");
  return have;
}

}  // namespace

int64_t QuantisedRows::bytes() const {
  return static_cast<int64_t>(codes.size() + sizeof(float) * (scales.size() + errorNorms.size() +
                                                              codeNorms.size()));
}

QuantisedRows quantiseRows(const float* values, int64_t rows, int64_t dim) {
  QuantisedRows q;
  q.rows = rows;
  q.dim = dim;
  q.stride = (dim + kCodeAlignment - 1) / kCodeAlignment * kCodeAlignment;
  q.codes.assign(static_cast<size_t>(rows * q.stride), 0);
  q.scales.resize(static_cast<size_t>(rows));
  q.errorNorms.resize(static_cast<size_t>(rows));
  q.codeNorms.resize(static_cast<size_t>(rows));
  at::parallel_for(0, rows, 4096, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      int8_t* codes = q.codes.data() + i * q.stride;
      const float* x = values + i * dim;
      const float scale = quantise(x, dim, codes);
      auto [error, norm] = errorAndCodeNorm(x, codes, dim, scale);
      q.scales[static_cast<size_t>(i)] = scale;
      // A non-finite row cannot be bounded: an infinite interval makes it a
      // candidate for every query, so the exact re-scoring decides.
      q.errorNorms[static_cast<size_t>(i)] =
          std::isfinite(error) ? error : std::numeric_limits<float>::infinity();
      q.codeNorms[static_cast<size_t>(i)] = norm;
    }
  });
  return q;
}

std::vector<Neighbor> boundedScanTopK(const QuantisedRows& codes, const float* matrix,
                                      const float* query, int k, int64_t excludeRow, int threads,
                                      BoundedScanStats* stats) {
  std::vector<Neighbor> result;
  if (k <= 0 || codes.rows == 0) return result;
  const QueryCodes q = quantiseQuery(query, codes.dim, codes.stride);
  const int64_t workers = std::clamp<int64_t>(threads, 1, std::max<int64_t>(1, codes.rows / 4096));
  std::vector<BoundTracker> trackers(static_cast<size_t>(workers), BoundTracker(k));
  const int64_t perWorker = (codes.rows + workers - 1) / workers;
  at::parallel_for(0, workers, 1, [&](int64_t first, int64_t last) {
    for (int64_t w = first; w < last; ++w) {
      const int64_t begin = w * perWorker, end = std::min(codes.rows, begin + perWorker);
      auto& tracker = trackers[static_cast<size_t>(w)];
      if (haveAvx2()) {
        scanRowsAvx2(codes, q, begin, end, excludeRow, tracker);
      } else {
        scanRows(codes, q, begin, end, excludeRow, tracker, dotPortable);
      }
    }
  });

  // The k-th best lower bound over all workers: no row whose upper bound is
  // below it can be in the top k.
  std::vector<float> lowers;
  for (const auto& t : trackers) lowers.insert(lowers.end(), t.lowers().begin(), t.lowers().end());
  float threshold = -std::numeric_limits<float>::infinity();
  if (lowers.size() >= static_cast<size_t>(k)) {
    std::nth_element(lowers.begin(), lowers.begin() + (k - 1), lowers.end(), std::greater<>());
    threshold = lowers[static_cast<size_t>(k - 1)];
  }
  for (const auto& t : trackers) {
    for (const auto& [upper, row] : t.candidates()) {
      if (upper < threshold) continue;
      result.push_back({row, exactDot(matrix + row * codes.dim, query, codes.dim)});
    }
  }
  if (stats) stats->candidates = static_cast<int64_t>(result.size());
  const size_t keep = std::min(result.size(), static_cast<size_t>(k));
  std::partial_sort(result.begin(), result.begin() + static_cast<std::ptrdiff_t>(keep), result.end(),
                    [](const Neighbor& a, const Neighbor& b) {
                      return a.similarity != b.similarity ? a.similarity > b.similarity
                                                          : a.row < b.row;
                    });
  result.resize(keep);
  return result;
}

}  // namespace pl
