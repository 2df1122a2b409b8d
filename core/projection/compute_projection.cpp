// computeProjection: picks the method, times it, fills the Projection.
#include <chrono>

#include "projection/layout_methods.h"
#include "projection/pca.h"
#include "projection/projection.h"

namespace pl {

Result<Projection> computeProjection(std::shared_ptr<const EmbeddingMatrix> matrix,
                                     const ProjectionOptions& options, JobContext& context) {
  if (!matrix || matrix->rows() == 0) return Error{"there are no embeddings to map"};
  auto start = std::chrono::steady_clock::now();
  Projection projection;
  projection.method = options.method;
  projection.rowIds = matrix->rowIds;
  projection.paramsJson = options.toJson();
  projection.embeddingsFingerprint = matrix->fingerprint();
  if (options.method == ProjectionMethod::Pca) {
    context.progress(0, 1, "Computing principal components");
    auto pca = computePca(matrix->values.data(), matrix->rows(), matrix->dim, 2);
    projection.xy = std::move(pca.coordinates);
    projection.explainedVariance = std::move(pca.explainedVariance);
    context.progress(1, 1, "Computing principal components");
  } else {
    auto layout = options.method == ProjectionMethod::Tsne ? computeTsneLayout(matrix, options, context)
                                                           : computeUmapLayout(matrix, options, context);
    if (!layout) return layout.error();
    projection.xy = std::move(layout->xy);
  }
  if (context.stopRequested()) return Error{"projection cancelled"};
  projection.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return projection;
}

}  // namespace pl
