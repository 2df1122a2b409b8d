#pragma once
// Exact cosine k-nearest neighbours among the rows of a sparse matrix (the
// TF-IDF baseline's leave-one-out 10-NN accuracy). A purely sparse product is
// slow here: the few n-grams found in most titles (" s", "sh", ...) make
// X * X^T nearly dense. So the most frequent columns go through a dense BLAS
// product and only the long tail is accumulated sparsely; the answer is exact
// either way.

#include <cstdint>
#include <vector>

#include "common/job_context.h"
#include "eval/sparse_rows.h"

namespace pl {

/// Row i's k neighbours (itself excluded), most similar first.
struct SparseKnn {
  int k = 0;
  std::vector<int32_t> indices;     ///< rows * k (-1 where fewer than k other rows exist)
  std::vector<float> similarities;  ///< rows * k
};

/// Computes the neighbours of every row. `denseColumns`: how many of the most
/// frequent columns take the dense path (trades memory N x denseColumns for time).
/// A stop request returns an empty result (k == 0).
SparseKnn sparseCosineKnn(const SparseRows& rows, int k, JobContext& context, int denseColumns = 256);

}  // namespace pl
