// buildKnnGraph: the k nearest rows of every row, for t-SNE and UMAP.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>

#include "neighbors/neighbor_search.h"

namespace pl {

namespace {

constexpr const char* kPhase = "Finding nearest neighbours";

void storeRow(KnnGraph& graph, int64_t row, const std::vector<Neighbor>& hits) {
  const size_t at = static_cast<size_t>(row) * static_cast<size_t>(graph.k);
  for (size_t j = 0; j < static_cast<size_t>(graph.k); ++j) {
    // Fewer hits than k only happens when the matrix has <= k rows; the
    // remaining slots point at nothing (-1, distance 2: as far as cosine goes).
    graph.indices[at + j] = j < hits.size() ? static_cast<int32_t>(hits[j].row) : -1;
    graph.distances[at + j] = j < hits.size() ? 1.0f - hits[j].similarity : 2.0f;
  }
}

// Exact engine: blocks of rows go through one batched matrix product each;
// the engine itself spreads a block across LibTorch's threads.
Status fillByBlocks(const NeighborSearch& search, KnnGraph& graph, JobContext& context) {
  const EmbeddingMatrix& m = search.matrix();
  constexpr int64_t kBlock = 1024;
  std::vector<int64_t> selves(kBlock);
  for (int64_t first = 0; first < graph.rows; first += kBlock) {
    if (context.stopRequested()) return Error{"the nearest-neighbour search was cancelled"};
    const int64_t n = std::min(kBlock, graph.rows - first);
    std::iota(selves.begin(), selves.begin() + n, first);
    auto hits = search.searchManyExcluding(m.row(first), n, graph.k, selves.data());
    for (int64_t i = 0; i < n; ++i) storeRow(graph, first + i, hits[static_cast<size_t>(i)]);
    context.progress(first + n, graph.rows, kPhase);
  }
  return Status::success();
}

// Graph engines answer one query at a time; queries are independent, so
// every core takes chunks of rows. The calling thread works too and is the
// only one that talks to the context (its sinks expect the job's thread).
Status fillInParallel(const NeighborSearch& search, KnnGraph& graph, JobContext& context) {
  const EmbeddingMatrix& m = search.matrix();
  constexpr int64_t kChunk = 256;
  std::atomic<int64_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  std::mutex failureMutex;
  std::string failure;
  auto work = [&]() -> bool {
    const int64_t first = stop ? graph.rows : next.fetch_add(kChunk);
    if (first >= graph.rows) return false;
    const int64_t end = std::min(first + kChunk, graph.rows);
    try {
      for (int64_t r = first; r < end; ++r) storeRow(graph, r, search.search(m.row(r), graph.k, r));
    } catch (const std::exception& e) {
      // A throw must not escape a std::thread (that would end the process).
      std::lock_guard<std::mutex> lock(failureMutex);
      if (failure.empty()) failure = e.what();
      stop = true;
      return false;
    }
    done += end - first;
    return true;
  };
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) {
    helpers.emplace_back([&] {
      while (work()) {
      }
    });
  }
  while (work()) {
    context.progress(done.load(), graph.rows, kPhase);
    if (context.stopRequested()) stop = true;
  }
  for (auto& h : helpers) h.join();
  if (!failure.empty()) return Error{"the nearest-neighbour search failed: " + failure};
  if (stop) return Error{"the nearest-neighbour search was cancelled"};
  context.progress(graph.rows, graph.rows, kPhase);
  return Status::success();
}

}  // namespace

Result<KnnGraph> buildKnnGraph(const NeighborSearch& search, int k, JobContext& context) {
  if (k < 1) return Error{"the kNN graph needs k >= 1, not " + std::to_string(k)};
  KnnGraph graph;
  graph.rows = search.matrix().rows();
  graph.k = k;
  graph.indices.resize(static_cast<size_t>(graph.rows) * static_cast<size_t>(k));
  graph.distances.resize(graph.indices.size());
  context.progress(0, graph.rows, kPhase);
  Status filled = search.method() == NeighborMethod::Exact ? fillByBlocks(search, graph, context)
                                                           : fillInParallel(search, graph, context);
  if (!filled) return filled.error();
  return graph;
}

}  // namespace pl
