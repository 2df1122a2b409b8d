#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/project.h"

namespace pl {

/// Serialises a float32 N x D matrix in NumPy's .npy format (version 1.0,
/// little-endian '<f4', C order).
std::string npyBytes(const float* data, int64_t rows, int64_t cols);

/// Writes DIR/embeddings.npy (row i <-> line i of DIR/ids.txt, the
/// catalog's own ids) for a run's stored embeddings. Files are written
/// atomically.
struct NpyExportReport {
  int64_t rows = 0;
  int64_t dim = 0;
};
Result<NpyExportReport> exportEmbeddingsNpy(Project& project, const std::string& runName,
                                            const std::string& outDir);

}  // namespace pl
