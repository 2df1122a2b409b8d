// runProjectionJob: embeddings in, stored map out.
#include "projection/projection.h"
#include "projection/projection_store.h"
#include "store/run_store.h"

namespace pl {

Result<Projection> runProjectionJob(Project& project, const std::string& runName,
                                    const ProjectionOptions& options, JobContext& context) {
  try {
    auto run = findRun(project.db(), runName);
    if (!run) return Error{"there is no run named '" + runName + "' in " + project.path()};
    context.progress(0, 1, "Loading embeddings");
    auto matrix = loadEmbeddingMatrix(project.db(), run->id, runName);
    if (!matrix) return matrix.error();
    auto shared = std::make_shared<const EmbeddingMatrix>(std::move(*matrix));
    ProjectionOptions withIndex = options;
    if (!withIndex.hnswIndex) {
      withIndex.hnswIndex = [&](std::shared_ptr<const EmbeddingMatrix> m, const HnswOptions& h,
                                JobContext& c) {
        return openNeighborSearch(project, runName, NeighborMethod::Hnsw, c, std::move(m), h);
      };
    }
    auto projection = computeProjection(shared, withIndex, context);
    if (!projection) return projection.error();
    // Checked again here: a stop that lands after the last iteration must
    // still leave the project untouched, as the contract promises.
    if (context.stopRequested()) return Error{"projection cancelled"};
    storeProjection(project.db(), run->id, *projection);
    if (auto stored = loadProjection(project.db(), run->id, options.method)) {
      projection->createdAt = stored->createdAt;
    }
    return projection;
  } catch (const StoreError& e) {
    return Error{"cannot store the map in " + project.path() + ": " + e.what()};
  }
}

}  // namespace pl
