#pragma once
// The HNSW engine's file side, used by openNeighborSearch and the benchmark
// (building is buildHnswSearch in neighbor_search.h). hnswlib itself is only
// included by hnsw_search.cpp: its header defines non-inline functions.

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "neighbors/neighbor_search.h"

namespace pl {

/// Writes an HNSW engine's index to `path` atomically (temp file, fsync,
/// rename, fsync of the folder); returns the file's size in bytes.
Result<int64_t> saveHnswIndex(const NeighborSearch& hnsw, const std::string& path);

/// Loads an index saved by saveHnswIndex for exactly this matrix. The file is
/// checked before hnswlib reads it (size, header, graph, stored vectors), so
/// a truncated, damaged or foreign file is an Error, never a crash.
Result<std::unique_ptr<NeighborSearch>> loadHnswIndex(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                      const std::string& path,
                                                      int64_t expectedBytes, int efSearch);

/// Changes an HNSW engine's query beam (not while it is searching: hnswlib
/// keeps one beam per index). Fails for other engines.
Status setHnswEfSearch(NeighborSearch& hnsw, int efSearch);

}  // namespace pl
