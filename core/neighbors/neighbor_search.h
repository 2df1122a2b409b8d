#pragma once
// Cosine nearest-neighbour search over one run's embeddings. One interface,
// two engines: exact (blocked LibTorch matrix products) and HNSW (hnswlib).
// CONTRACT shared by the CLI, the Explore page and UMAP: extend, don't break.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "embed/embedding_matrix.h"
#include "store/project.h"

namespace pl {

/// Which engine answers queries. Auto: exact below kExactSearchLimit rows, HNSW above.
enum class NeighborMethod { Auto, Exact, Hnsw };
constexpr int64_t kExactSearchLimit = 200000;

/// "auto" | "exact" | "hnsw"; nullopt-like failure for anything else.
Result<NeighborMethod> parseNeighborMethod(const std::string& name);
std::string neighborMethodName(NeighborMethod method);
/// The engine Auto stands for with `rows` vectors (other methods are returned as they are).
NeighborMethod resolveNeighborMethod(NeighborMethod method, int64_t rows);

/// One hit: a row of the searched matrix and its cosine similarity.
struct Neighbor {
  int64_t row = -1;
  float similarity = 0;
};

/// A searchable index over an EmbeddingMatrix it shares (it never copies the
/// vectors for the exact engine). Thread-safe for concurrent search().
class NeighborSearch {
 public:
  virtual ~NeighborSearch() = default;
  /// The k rows most similar to `query` (dim floats, L2-normalised), best
  /// first; `excludeRow` (e.g. the query product itself) is left out.
  virtual std::vector<Neighbor> search(const float* query, int k, int64_t excludeRow = -1) const = 0;
  /// Many queries at once (rows x dim, row-major); exact search batches them
  /// into one matrix product. Result i answers query i.
  virtual std::vector<std::vector<Neighbor>> searchMany(const float* queries, int64_t count, int k) const = 0;
  virtual NeighborMethod method() const = 0;
  virtual const EmbeddingMatrix& matrix() const = 0;
  /// Like searchMany, but query i leaves out row excludeRows[i] (-1: none);
  /// what a kNN graph of the matrix itself needs. The default asks search()
  /// once per query; the exact engine batches.
  virtual std::vector<std::vector<Neighbor>> searchManyExcluding(
      const float* queries, int64_t count, int k, const int64_t* excludeRows) const;
  /// Memory the engine holds beyond the shared matrix (the HNSW graph and its
  /// copy of the vectors; for exact search the int8 copy its single-query
  /// scan makes on first use, else 0: it reads the matrix in place).
  virtual int64_t indexBytes() const { return 0; }
};

/// Exact cosine top-k: inner products in row blocks (memory bounded), on
/// `threads` LibTorch threads (0: leave the setting alone).
std::unique_ptr<NeighborSearch> makeExactSearch(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                int threads = 0);

/// HNSW build/load options.
struct HnswOptions {
  int m = 16;                 ///< graph degree
  int efConstruction = 200;   ///< build-time beam
  int efSearch = 64;          ///< query-time beam (raised to k when smaller)
  int threads = 0;            ///< build threads (0: hardware concurrency)
  uint64_t seed = 100;
};

/// Builds an HNSW index over the matrix, reporting progress and honouring
/// stop requests (a cancelled build returns an error).
Result<std::unique_ptr<NeighborSearch>> buildHnswSearch(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                        const HnswOptions& options, JobContext& context);

/// The index file of a run: beside the project, in the run's directory.
std::string hnswIndexPath(const std::string& projectPath, const std::string& runName);

/// The search for a run's stored embeddings with the chosen engine. HNSW
/// loads the saved index when it matches the embeddings (fingerprint), else
/// builds and saves it (atomically). `matrix` may be passed when already loaded.
Result<std::unique_ptr<NeighborSearch>> openNeighborSearch(Project& project, const std::string& runName,
                                                           NeighborMethod method, JobContext& context,
                                                           std::shared_ptr<const EmbeddingMatrix> matrix = nullptr,
                                                           const HnswOptions& options = {});

/// k nearest neighbours of every row (itself excluded): the graph UMAP and
/// t-SNE start from. Rows x k, row-major.
struct KnnGraph {
  int64_t rows = 0;
  int k = 0;
  std::vector<int32_t> indices;    ///< rows * k neighbour rows, nearest first
  std::vector<float> distances;    ///< rows * k cosine distances (1 - similarity)
};

/// Builds the kNN graph with the given engine (Auto: exact below the limit).
/// Progress is reported; a stop request returns an error.
Result<KnnGraph> buildKnnGraph(const NeighborSearch& search, int k, JobContext& context);

}  // namespace pl
