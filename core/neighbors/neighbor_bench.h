#pragma once
// `bench neighbors`: exact and HNSW search timed on clustered synthetic
// vectors (or a run's stored embeddings), with HNSW's recall measured
// against the exact answers.

#include <cstdint>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "neighbors/neighbor_search.h"

namespace pl {

/// What to measure.
struct NeighborBenchOptions {
  int64_t points = 100000;  ///< indexed synthetic vectors
  int64_t dim = 128;
  int clusters = 1000;
  int64_t queries = 1000;  ///< synthetic: fresh draws from the mixture; project: sampled rows
  int k = 10;
  int threads = 1;  ///< LibTorch threads for exact search, HNSW build and query threads
  uint64_t seed = 1;
  HnswOptions hnsw;
  std::vector<int> efSearch = {64};  ///< query beams to time on the one built index
  std::string projectPath;           ///< when set: this project's run instead of synthetic data
  std::string runName;
  int64_t singleQueries = 200;  ///< exact one-at-a-time latency is timed on this many queries
  bool exactOnly = false;       ///< skip the HNSW build and queries (minutes at 1M)
};

/// The measured figures.
struct NeighborBenchReport {
  std::string data;  ///< what was indexed, in words
  int64_t rows = 0, dim = 0, queries = 0;
  int k = 0, threads = 0, blasThreads = 0;
  int64_t exactSingleQueries = 0;
  double exactSingleMs = 0;   ///< per query, one query at a time
  double exactBatchedMs = 0;  ///< per query, all queries in one searchMany
  double exactBatchedQps = 0;
  double exactSingleCpuMs = 0;   ///< CPU time per query (all threads), one at a time
  double exactBatchedCpuMs = 0;  ///< CPU time per query (all threads), batched
  int64_t exactBytes = 0;        ///< the matrix exact search reads in place
  /// The first query's time, which includes making the int8 copy the
  /// single-query scan reads (exact_search.h), and that copy's size.
  double exactPrepareSeconds = 0;
  int64_t exactScanBytes = 0;
  /// Share of the one-at-a-time answers' rows that equal the batched answers'
  /// (two code paths of the exact engine; 1 means they agree).
  double exactSingleAgreement = 0;
  double hnswBuildSeconds = 0;
  double hnswBuildCpuSeconds = 0;  ///< CPU time of the build, all threads
  int64_t hnswBytes = 0;           ///< graph + its copy of the vectors
  /// One query beam's figures.
  struct HnswSearchFigures {
    int efSearch = 0;
    double queriesPerSecond = 0;  ///< one query at a time, on `threads` threads
    double msPerQuery = 0;        ///< mean latency of one query
    double cpuMsPerQuery = 0;     ///< CPU time per query (all threads)
    double recall = 0;            ///< recall@k against the exact answers, ties counted as hits
    double recallOfIds = 0;       ///< share of the exact answers' very rows (ties not counted)
  };
  std::vector<HnswSearchFigures> hnsw;
  std::string runtime;  ///< LibTorch / BLAS summary
};

/// Runs the benchmark; progress (data, HNSW build) goes to `context`.
Result<NeighborBenchReport> runNeighborBench(const NeighborBenchOptions& options,
                                             JobContext& context);

}  // namespace pl
