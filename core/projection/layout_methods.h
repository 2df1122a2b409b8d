#pragma once
// The neighbour-based maps (t-SNE, UMAP) behind computeProjection, with the
// time of each stage so benchmarks can say where it goes.

#include <memory>
#include <vector>

#include "projection/projection.h"

namespace pl {

/// A finished layout and the seconds of its stages.
struct LayoutResult {
  std::vector<float> xy;  ///< rows * 2
  double knnSeconds = 0;
  double initSeconds = 0;  ///< the PCA start
  double similaritySeconds = 0;
  double layoutSeconds = 0;
};

/// t-SNE (Barnes-Hut) of the matrix; see tsne_optimizer.h.
Result<LayoutResult> computeTsneLayout(std::shared_ptr<const EmbeddingMatrix> matrix,
                                       const ProjectionOptions& options, JobContext& context);
/// UMAP of the matrix; see umap_layout.h.
Result<LayoutResult> computeUmapLayout(std::shared_ptr<const EmbeddingMatrix> matrix,
                                       const ProjectionOptions& options, JobContext& context);

/// Above this many rows, Auto builds t-SNE's and UMAP's kNN graph with HNSW
/// rather than exactly. An exact graph costs N^2 dot products: at 100k
/// points it was 287 s of UMAP's 337 s (2 cores, load ~4.5), while the
/// layouts only need most of each point's neighbours (umap-learn and
/// openTSNE use approximate ones too). Interactive search keeps
/// kExactSearchLimit.
constexpr int64_t kProjectionExactKnnLimit = 50000;

/// Threads to use: options.threads, or one per hardware thread when 0.
int projectionThreads(const ProjectionOptions& options);

}  // namespace pl
