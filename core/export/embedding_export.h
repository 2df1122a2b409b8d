#pragma once
// A run's embeddings in the formats other tools read: NumPy (.npy + ids),
// CSV and TSV with chosen metadata columns, TensorBoard's Embedding
// Projector bundle (tensors, metadata, a sprite of product pictures, the
// projector config) and a standalone SQLite table. Every file is written
// atomically: a failure or a cancel leaves the previous export in place.

#include <cstdint>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"

namespace pl {

enum class EmbeddingFormat { Npy, Csv, Tsv, Projector, Sqlite };

/// "npy", "csv", "tsv", "projector", "sqlite"; an error lists them.
Result<EmbeddingFormat> parseEmbeddingFormat(const std::string& name);

struct EmbeddingExportOptions {
  std::string runName;
  EmbeddingFormat format = EmbeddingFormat::Npy;
  /// A folder (npy, projector) or a file (csv, tsv, sqlite).
  std::string out;
  /// Written beside each vector: title, description, brand, category, price
  /// or any attribute column. The catalog id always comes first.
  std::vector<std::string> metadata{"title", "category"};
  /// Projector sprite: pixels per product picture (smaller when the sprite
  /// would pass TensorBoard's 8192-pixel limit).
  int thumbnail = 32;
};

struct EmbeddingExportReport {
  int64_t rows = 0;
  int64_t dim = 0;
  std::vector<std::string> files;
  int64_t missingPictures = 0;  ///< projector: sprite tiles left blank
  int spriteTile = 0;           ///< projector: pixels per tile used
};

/// Writes the run's stored embeddings (ordered by products.id).
Result<EmbeddingExportReport> exportEmbeddings(Project& project, const EmbeddingExportOptions& options,
                                               JobContext& context);

}  // namespace pl
