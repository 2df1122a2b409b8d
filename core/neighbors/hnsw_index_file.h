#pragma once
// A run's saved HNSW index: the hnswlib file plus a JSON sidecar that says
// which embeddings (fingerprint) and which build options it was made from,
// and how long the file must be. Both are written atomically.

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "embed/embedding_matrix.h"

namespace pl {

/// What the sidecar records.
struct HnswIndexInfo {
  std::string fingerprint;  ///< EmbeddingMatrix::fingerprint() of the indexed vectors
  int64_t rows = 0;
  int64_t dim = 0;
  int m = 0;
  int efConstruction = 0;
  int64_t fileBytes = 0;  ///< size of the index file when it was written
};

/// The sidecar's path for an index file.
std::string hnswSidecarPath(const std::string& indexPath);

/// Reads the sidecar; nullopt when it is missing or unreadable (the index is then rebuilt).
std::optional<HnswIndexInfo> readHnswIndexInfo(const std::string& indexPath);
Status writeHnswIndexInfo(const std::string& indexPath, const HnswIndexInfo& info);

/// Moves a fully written temp file over `path` after checking its size and
/// flushing it (then flushes the folder); returns the size.
Result<int64_t> commitIndexFile(const std::string& tmpPath, const std::string& path,
                                int64_t expectedBytes);

/// Checks an hnswlib file before hnswlib reads it: its size, and a header
/// that fits `matrix` (rows, dimension, record layout, entry point).
Status checkHnswFile(const std::string& path, int64_t expectedBytes, const EmbeddingMatrix& matrix);

/// The fixed header hnswlib 0.6 writes before the records.
constexpr int64_t kHnswHeaderBytes = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;

}  // namespace pl
