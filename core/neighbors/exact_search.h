#pragma once
// The exact engine: cosine similarity of L2-normalised vectors is their inner
// product, so top-k is a matrix product followed by torch::topk. Rows are
// processed in blocks so the score matrix never exceeds a fixed budget,
// whatever the catalog size or the number of queries.

#include <cstdint>
#include <memory>

#include "neighbors/neighbor_search.h"

namespace pl {

/// Tuning of the exact engine.
struct ExactSearchOptions {
  int threads = 0;                       ///< LibTorch intra-op threads; 0: leave the setting alone
  int64_t scoreBlockBytes = 64ll << 20;  ///< at most this many bytes of scores per block
  int64_t maxQueryBlock = 4096;          ///< queries per matrix product (searchMany of many rows)
  /// From this many rows on, a block of at most kQuantisedScanMaxQueries
  /// queries is answered by the bounded int8 scan (neighbors/quantised_scan.h):
  /// still exact, a quarter of the memory traffic, an int8 copy of the matrix
  /// (a quarter of its size) made on first use. 0: never.
  int64_t quantisedScanMinRows = 50000;
};

/// Query blocks up to this size go through the quantised scan, one query
/// at a time; larger ones share the matrix reads of a blocked product instead.
constexpr int64_t kQuantisedScanMaxQueries = 4;

/// Exact search with explicit options (tests use tiny blocks).
std::unique_ptr<NeighborSearch> makeExactSearch(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                const ExactSearchOptions& options);

}  // namespace pl
