#include "projection/layout_methods.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "projection/pca.h"
#include "projection/tsne.h"
#include "projection/tsne_affinities.h"
#include "projection/umap.h"

namespace pl {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The kNN graph with the engine the options pick: exact blocked matrix
// products up to kProjectionExactKnnLimit rows (Auto), HNSW beyond.
Result<KnnGraph> knnGraph(std::shared_ptr<const EmbeddingMatrix> matrix, int k, const ProjectionOptions& options,
                          JobContext& context) {
  // buildKnnGraph reports this stage itself ("Finding nearest neighbours").
  const int threads = projectionThreads(options);
  const bool hnsw = options.neighbors == NeighborMethod::Hnsw ||
                    (options.neighbors == NeighborMethod::Auto && matrix->rows() > kProjectionExactKnnLimit);
  std::unique_ptr<NeighborSearch> search;
  if (hnsw) {
    HnswOptions h;
    h.threads = threads;
    auto built = options.hnswIndex ? options.hnswIndex(matrix, h, context)
                                   : buildHnswSearch(matrix, h, context);
    if (!built) return context.stopRequested() ? Error{"projection cancelled"} : built.error();
    search = std::move(*built);
  } else {
    search = makeExactSearch(matrix, threads);
  }
  auto graph = buildKnnGraph(*search, k, context);
  // One message for every stage a stop can land in.
  if (!graph && context.stopRequested()) return Error{"projection cancelled"};
  return graph;
}

using Layout = Result<LayoutResult> (*)(const KnnGraph&, const std::vector<float>&, const ProjectionOptions&,
                                        JobContext&);

Result<LayoutResult> neighbourLayout(std::shared_ptr<const EmbeddingMatrix> matrix, int k,
                                     const ProjectionOptions& options, JobContext& context, Layout layout) {
  if (matrix->rows() < 3) return Error{"a t-SNE or UMAP map needs at least 3 products"};
  auto start = std::chrono::steady_clock::now();
  auto graph = knnGraph(matrix, k, options, context);
  if (!graph) return graph.error();
  if (context.stopRequested()) return Error{"projection cancelled"};
  const double knnSeconds = secondsSince(start);
  start = std::chrono::steady_clock::now();
  auto pca = computePca(matrix->values.data(), matrix->rows(), matrix->dim, 2);
  const double initSeconds = secondsSince(start);
  auto result = layout(*graph, pca.coordinates, options, context);
  if (!result) return result.error();
  result->knnSeconds = knnSeconds;
  result->initSeconds = initSeconds;
  return result;
}

}  // namespace

int projectionThreads(const ProjectionOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

Result<LayoutResult> computeTsneLayout(std::shared_ptr<const EmbeddingMatrix> matrix,
                                       const ProjectionOptions& options, JobContext& context) {
  const int k = tsneNeighborCount(matrix->rows(), options.perplexity);
  return neighbourLayout(std::move(matrix), k, options, context, tsneLayout);
}

Result<LayoutResult> computeUmapLayout(std::shared_ptr<const EmbeddingMatrix> matrix,
                                       const ProjectionOptions& options, JobContext& context) {
  // umap-learn counts the point itself among its n_neighbors; the graph does not.
  const int k = static_cast<int>(std::min<int64_t>(matrix->rows() - 1, std::max(2, options.nNeighbors) - 1));
  return neighbourLayout(std::move(matrix), k, options, context, umapLayout);
}

}  // namespace pl
