#pragma once
// A run's stored embeddings as one dense float32 matrix: what neighbour
// search, projections and exports read. Row i belongs to rowIds[i].

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// Row-major N x D float32 matrix of L2-normalised product vectors.
struct EmbeddingMatrix {
  std::vector<int64_t> rowIds;  ///< products.id of each row, ascending
  std::vector<float> values;    ///< rows * dim floats
  int64_t dim = 0;

  int64_t rows() const { return static_cast<int64_t>(rowIds.size()); }
  const float* row(int64_t i) const { return values.data() + i * dim; }
  /// Row index of a products.id, or -1 (binary search: rowIds are sorted).
  int64_t indexOf(int64_t rowId) const;
  /// A short digest of the rows and their values, so a saved index or
  /// projection can tell whether it still matches the embeddings.
  std::string fingerprint() const;
};

/// Loads every stored embedding of the run, ordered by products.id. Fails,
/// naming the run, when it has none or their sizes differ.
Result<EmbeddingMatrix> loadEmbeddingMatrix(Database& db, int64_t runId,
                                            const std::string& runName);

}  // namespace pl
