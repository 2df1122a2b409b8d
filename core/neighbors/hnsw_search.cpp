// The one translation unit that includes hnswlib (its header defines
// non-inline functions, so a second includer would not link).
#include "neighbors/hnsw_search.h"

#include <hnswlib/hnswlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "neighbors/hnsw_index_checks.h"
#include "neighbors/inner_product_distance.h"

namespace pl {

namespace {

using HnswIndex = hnswlib::HierarchicalNSW<float>;

/// hnswlib's inner-product space with the run-time chosen AVX2 kernel
/// (inner_product_distance.h); hnswlib's own kernel where the CPU lacks it.
class InnerProductSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit InnerProductSpace(size_t dim)
      : fallback_(dim), dim_(dim), fast_(fastInnerProductDistance()) {}
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override {
    return fast_ ? fast_ : fallback_.get_dist_func();
  }
  void* get_dist_func_param() override { return &dim_; }

 private:
  hnswlib::InnerProductSpace fallback_;
  size_t dim_;
  DistanceFunction fast_;
};

class HnswSearch final : public NeighborSearch {
 public:
  HnswSearch(std::shared_ptr<const EmbeddingMatrix> matrix,
             std::unique_ptr<InnerProductSpace> space, std::unique_ptr<HnswIndex> index,
             int efSearch)
      : matrix_(std::move(matrix)), space_(std::move(space)), index_(std::move(index)) {
    // searchKnn uses max(ef, k): the beam is raised to k by hnswlib itself.
    setEfSearch(efSearch);
  }

  std::vector<Neighbor> search(const float* query, int k, int64_t excludeRow) const override {
    if (k <= 0) return {};
    // One extra candidate stands in for the excluded row when it shows up.
    size_t want = static_cast<size_t>(k) + (excludeRow >= 0 ? 1 : 0);
    want = std::min(want, static_cast<size_t>(matrix_->rows()));
    auto top = index_->searchKnn(query, want);  // furthest first
    std::vector<Neighbor> hits(top.size());
    for (size_t i = hits.size(); i-- > 0; top.pop()) {
      hits[i] = {static_cast<int64_t>(top.top().second), 1.0f - top.top().first};
    }
    hits.erase(std::remove_if(hits.begin(), hits.end(),
                              [&](const Neighbor& n) { return n.row == excludeRow; }),
               hits.end());
    if (hits.size() > static_cast<size_t>(k)) hits.resize(static_cast<size_t>(k));
    return hits;
  }

  std::vector<std::vector<Neighbor>> searchMany(const float* queries, int64_t count,
                                                int k) const override {
    std::vector<std::vector<Neighbor>> results;
    results.reserve(static_cast<size_t>(std::max<int64_t>(count, 0)));
    for (int64_t i = 0; i < count; ++i)
      results.push_back(search(queries + i * matrix_->dim, k, -1));
    return results;
  }

  NeighborMethod method() const override { return NeighborMethod::Hnsw; }
  const EmbeddingMatrix& matrix() const override { return *matrix_; }

  int64_t indexBytes() const override {
    const HnswIndex& h = *index_;
    auto bytes = static_cast<int64_t>(h.max_elements_ * h.size_data_per_element_);
    for (size_t i = 0; i < h.cur_element_count; ++i) {
      bytes += static_cast<int64_t>(h.element_levels_[i]) *
               static_cast<int64_t>(h.size_links_per_element_);
    }
    // Per element: a link-list lock, the level, the list pointer, and about
    // 40 bytes of unordered_map node for the label lookup.
    bytes += static_cast<int64_t>(h.max_elements_ *
                                  (sizeof(std::mutex) + sizeof(int) + sizeof(void*) + 40));
    return bytes;
  }

  HnswIndex& index() const { return *index_; }
  void setEfSearch(int efSearch) { index_->setEf(static_cast<size_t>(std::max(1, efSearch))); }

 private:
  std::shared_ptr<const EmbeddingMatrix> matrix_;
  std::unique_ptr<InnerProductSpace> space_;
  std::unique_ptr<HnswIndex> index_;
};

/// Inserts rows [1, rows) on `threads` threads (row 0 is in already). The
/// calling thread inserts too and alone reports progress and polls for stop.
Status insertInParallel(HnswIndex& index, const EmbeddingMatrix& matrix, int threads,
                        JobContext& context) {
  constexpr int64_t kChunk = 64;
  const int64_t rows = matrix.rows();
  std::atomic<int64_t> next{1}, done{1};
  std::atomic<bool> stop{false};
  std::mutex failureMutex;
  std::string failure;
  auto work = [&]() -> bool {
    const int64_t first = stop ? rows : next.fetch_add(kChunk);
    if (first >= rows) return false;
    const int64_t end = std::min(first + kChunk, rows);
    try {
      for (int64_t r = first; r < end; ++r) index.addPoint(matrix.row(r), static_cast<size_t>(r));
    } catch (const std::exception& e) {  // hnswlib throws std::runtime_error (e.g. out of memory)
      std::lock_guard<std::mutex> lock(failureMutex);
      if (failure.empty()) failure = e.what();
      stop = true;
      return false;
    }
    done += end - first;
    return true;
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) {
    helpers.emplace_back([&] {
      while (work()) {
      }
    });
  }
  while (work()) {
    context.progress(done.load(), rows, "Building HNSW index");
    if (context.stopRequested()) stop = true;
  }
  for (auto& h : helpers) h.join();
  if (!failure.empty()) return Error{"building the HNSW index failed: " + failure};
  if (stop) return Error{"building the HNSW index was cancelled"};
  context.progress(rows, rows, "Building HNSW index");
  return Status::success();
}

}  // namespace

Result<std::unique_ptr<NeighborSearch>> buildHnswSearch(
    std::shared_ptr<const EmbeddingMatrix> matrix, const HnswOptions& options,
    JobContext& context) {
  if (!matrix || matrix->rows() == 0) return Error{"there are no vectors to index"};
  if (options.m < 2 || options.efConstruction < 1) {
    return Error{"HNSW needs m >= 2 and efConstruction >= 1"};
  }
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  try {
    auto space = std::make_unique<InnerProductSpace>(static_cast<size_t>(matrix->dim));
    auto index = std::make_unique<HnswIndex>(
        space.get(), static_cast<size_t>(matrix->rows()), static_cast<size_t>(options.m),
        static_cast<size_t>(options.efConstruction), static_cast<size_t>(options.seed));
    context.progress(0, matrix->rows(), "Building HNSW index");
    // The first point becomes the entry point; the rest may then go in concurrently.
    index->addPoint(matrix->row(0), 0);
    if (Status s = insertInParallel(*index, *matrix, threads, context); !s) return s.error();
    return std::unique_ptr<NeighborSearch>(std::make_unique<HnswSearch>(
        std::move(matrix), std::move(space), std::move(index), options.efSearch));
  } catch (const std::exception& e) {
    return Error{std::string("building the HNSW index failed: ") + e.what()};
  }
}

Status setHnswEfSearch(NeighborSearch& hnsw, int efSearch) {
  auto* search = dynamic_cast<HnswSearch*>(&hnsw);
  if (!search) return Error{"only an HNSW engine has a query beam"};
  search->setEfSearch(efSearch);
  return Status::success();
}

Result<int64_t> saveHnswIndex(const NeighborSearch& hnsw, const std::string& path) {
  const auto* search = dynamic_cast<const HnswSearch*>(&hnsw);
  if (!search) return Error{"only an HNSW engine has an index to save"};
  // A name of its own per save: two jobs may build the same run's index at once.
  static std::atomic<int> saves{0};
  const std::string tmp =
      path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(saves++);
  try {
    search->index().saveIndex(tmp);
  } catch (const std::exception& e) {
    return Error{"cannot write " + tmp + ": " + e.what()};
  }
  // hnswlib does not check its writes: a short file means a full disk.
  const int64_t expected = expectedHnswFileBytes(search->index());
  return commitIndexFile(tmp, path, expected);
}

Result<std::unique_ptr<NeighborSearch>> loadHnswIndex(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                      const std::string& path,
                                                      int64_t expectedBytes, int efSearch) {
  if (Status s = checkHnswFile(path, expectedBytes, *matrix); !s) return s.error();
  try {
    auto space = std::make_unique<InnerProductSpace>(static_cast<size_t>(matrix->dim));
    auto index = std::make_unique<HnswIndex>(space.get(), path);
    if (Status s = checkHnswGraph(*index, *matrix, path); !s) return s.error();
    return std::unique_ptr<NeighborSearch>(std::make_unique<HnswSearch>(
        std::move(matrix), std::move(space), std::move(index), efSearch));
  } catch (const std::exception& e) {
    return Error{"the neighbour index " + path + " cannot be read (" + e.what() + ")"};
  }
}

}  // namespace pl
