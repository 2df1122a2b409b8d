#pragma once
// LSA: TF-IDF reduced by truncated SVD to the embedding size, the second
// classical baseline (dense, same dimension as the learned vectors, so the
// comparison is not about size).

#include <cstdint>
#include <vector>

#include "eval/sparse_rows.h"

namespace pl {

/// Each row of `x` projected on the top `dim` singular directions (U * S, as
/// scikit-learn's TruncatedSVD.transform), L2-normalised; rows * dim floats.
/// Randomised SVD (Halko et al. 2011) with oversampling 10 and
/// `powerIterations` subspace iterations; deterministic for a seed.
std::vector<float> lsaEmbedding(const SparseRows& x, int64_t dim, uint64_t seed = 0,
                                int powerIterations = 4);

}  // namespace pl
