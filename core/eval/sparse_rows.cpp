#include "eval/sparse_rows.h"

#include <cmath>

namespace pl {

void SparseRows::normalizeRows() {
  for (int64_t r = 0; r < rows(); ++r) {
    double sum = 0;
    for (int64_t i = indptr[r]; i < indptr[r + 1]; ++i) sum += double(values[i]) * values[i];
    if (sum <= 0) continue;
    auto scale = static_cast<float>(1.0 / std::sqrt(sum));
    for (int64_t i = indptr[r]; i < indptr[r + 1]; ++i) values[i] *= scale;
  }
}

SparseRows concatColumns(const SparseRows& a, const SparseRows& b) {
  SparseRows out;
  out.cols = a.cols + b.cols;
  out.indptr.reserve(a.indptr.size());
  out.indices.reserve(a.indices.size() + b.indices.size());
  out.values.reserve(a.values.size() + b.values.size());
  for (int64_t r = 0; r < a.rows(); ++r) {
    for (int64_t i = a.indptr[r]; i < a.indptr[r + 1]; ++i) {
      out.indices.push_back(a.indices[i]);
      out.values.push_back(a.values[i]);
    }
    for (int64_t i = b.indptr[r]; i < b.indptr[r + 1]; ++i) {
      out.indices.push_back(static_cast<int32_t>(b.indices[i] + a.cols));
      out.values.push_back(b.values[i]);
    }
    out.indptr.push_back(static_cast<int64_t>(out.values.size()));
  }
  return out;
}

}  // namespace pl
