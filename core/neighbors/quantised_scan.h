#pragma once
// Exact top-k for one query that reads a quarter of the bytes. A single
// query against a large matrix is bound by memory bandwidth, not arithmetic
// (1M x 128 float32 is 488 MiB per query), so the rows are also kept as int8
// codes with a per-row scale. The scan scores every row from its codes and
// bounds the error: for x^ = s*c and q^ = t*d,
//   |q.x - q^.x^| <= |q|*|x - x^| + |q - q^|*|x^|,
// so every row has an interval that surely holds its true score. Rows whose
// upper bound reaches the k-th best lower bound are the only ones that can
// be in the top k; those few are re-scored exactly from the float32 rows.
// The answer is the exact one, not an approximation.

#include <cstdint>
#include <vector>

#include "neighbors/neighbor_search.h"

namespace pl {

/// int8 copy of a row-major float32 matrix and what the error bound needs.
struct QuantisedRows {
  int64_t rows = 0;
  int64_t dim = 0;
  int64_t stride = 0;              ///< codes per row: dim padded to a multiple of 32
  std::vector<int8_t> codes;       ///< rows * stride, zero padding
  std::vector<float> scales;       ///< per row: x ~ scale * code
  std::vector<float> errorNorms;   ///< per row: |x - scale * code|
  std::vector<float> codeNorms;    ///< per row: |scale * code|
  int64_t bytes() const;
};

/// Quantises each row symmetrically to [-127, 127] with its own scale.
QuantisedRows quantiseRows(const float* values, int64_t rows, int64_t dim);

/// What a bounded scan did, for benchmarks and tests.
struct BoundedScanStats {
  int64_t candidates = 0;  ///< rows re-scored exactly
};

/// The exact k best rows of `matrix` (the float32 rows the codes were made
/// from) for `query`, best first, `excludeRow` left out; split over
/// `threads` workers (LibTorch's pool).
std::vector<Neighbor> boundedScanTopK(const QuantisedRows& codes, const float* matrix,
                                      const float* query, int k, int64_t excludeRow, int threads,
                                      BoundedScanStats* stats = nullptr);

}  // namespace pl
