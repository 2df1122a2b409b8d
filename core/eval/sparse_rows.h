#pragma once
// A compressed sparse row (CSR) float matrix: the TF-IDF baseline's features.

#include <cstdint>
#include <vector>

namespace pl {

/// rows() x cols, row r's entries in [indptr[r], indptr[r+1]).
struct SparseRows {
  int64_t cols = 0;
  std::vector<int64_t> indptr{0};
  std::vector<int32_t> indices;
  std::vector<float> values;

  int64_t rows() const { return static_cast<int64_t>(indptr.size()) - 1; }
  int64_t nonZeros() const { return static_cast<int64_t>(values.size()); }
  /// Scales every row to unit L2 norm (empty rows stay empty).
  void normalizeRows();
};

/// [a | b] side by side (same row count); b's columns follow a's.
SparseRows concatColumns(const SparseRows& a, const SparseRows& b);

}  // namespace pl
