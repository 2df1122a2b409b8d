#include "projection/layout_methods.h"

#include <algorithm>
#include <thread>

namespace pl {

int projectionThreads(const ProjectionOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

Result<LayoutResult> computeTsneLayout(std::shared_ptr<const EmbeddingMatrix>, const ProjectionOptions&,
                                       JobContext&) {
  return Error{"t-SNE is not available yet; use --method pca"};
}

Result<LayoutResult> computeUmapLayout(std::shared_ptr<const EmbeddingMatrix>, const ProjectionOptions&,
                                       JobContext&) {
  return Error{"UMAP is not available yet; use --method pca"};
}

}  // namespace pl
