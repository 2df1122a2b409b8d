#pragma once
// Exact cosine top-k for a few query rows of a sparse matrix against all of
// its rows (co-purchase retrieval asks for a few thousand products of a
// catalog; sparse_knn.h answers every row, which costs N^2).

#include <cstdint>
#include <vector>

#include "common/job_context.h"
#include "eval/sparse_rows.h"

namespace pl {

/// For each of `queryRows`, the rows with the k highest inner products
/// (rows L2-normalised: cosine), best first, the query row itself left out.
/// Rows sharing no column with the query (similarity 0) are not listed, so a
/// list may be shorter than k. Empty result on a stop request.
std::vector<std::vector<int32_t>> sparseQueryTopK(const SparseRows& rows,
                                                  const std::vector<int64_t>& queryRows, int k,
                                                  JobContext& context);

}  // namespace pl
