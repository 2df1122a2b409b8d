// openNeighborSearch: a run's stored embeddings behind the chosen engine,
// with the HNSW index reused from disk while it still matches them.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "neighbors/hnsw_index_file.h"
#include "neighbors/hnsw_search.h"
#include "neighbors/neighbor_search.h"
#include "store/run_store.h"
#include "train/pretrain_job.h"

namespace pl {

namespace {

bool sameBuild(const HnswIndexInfo& info, const EmbeddingMatrix& matrix,
               const std::string& fingerprint, const HnswOptions& options) {
  return info.fingerprint == fingerprint && info.rows == matrix.rows() && info.dim == matrix.dim &&
         info.m == options.m && info.efConstruction == options.efConstruction;
}

Result<std::unique_ptr<NeighborSearch>> openHnsw(const std::string& projectPath,
                                                 const std::string& runName,
                                                 std::shared_ptr<const EmbeddingMatrix> matrix,
                                                 const HnswOptions& options, JobContext& context) {
  const std::string path = hnswIndexPath(projectPath, runName);
  const std::string fingerprint = matrix->fingerprint();
  if (auto info = readHnswIndexInfo(path);
      info && sameBuild(*info, *matrix, fingerprint, options)) {
    context.progress(0, 1, "Loading HNSW index");
    auto loaded = loadHnswIndex(matrix, path, info->fileBytes, options.efSearch);
    if (loaded) return loaded;
    context.log(LogLevel::Warning, loaded.error().message + "; building it again");
  }
  auto built = buildHnswSearch(matrix, options, context);
  if (!built) return built;
  // The sidecar goes first: a crash between the two writes then leaves an
  // index without a matching sidecar, which only costs a rebuild.
  std::remove(hnswSidecarPath(path).c_str());
  std::error_code ignored;  // a missing folder shows up as a failed save below
  std::filesystem::create_directories(defaultRunDirectory(projectPath, runName), ignored);
  auto bytes = saveHnswIndex(**built, path);
  Status saved = bytes ? writeHnswIndexInfo(path, {fingerprint, matrix->rows(), matrix->dim,
                                                   options.m, options.efConstruction, *bytes})
                       : Status(bytes.error());
  // Not being able to save (a read-only folder) costs the next open a rebuild, nothing more.
  if (!saved) context.log(LogLevel::Warning, saved.error().message);
  return built;
}

}  // namespace

Result<std::unique_ptr<NeighborSearch>> openNeighborSearch(
    Project& project, const std::string& runName, NeighborMethod method, JobContext& context,
    std::shared_ptr<const EmbeddingMatrix> matrix, const HnswOptions& options) {
  if (!matrix) {
    try {
      auto run = findRun(project.db(), runName);
      if (!run) return Error{"there is no run named '" + runName + "'"};
      context.progress(0, 1, "Loading embeddings");
      auto loaded = loadEmbeddingMatrix(project.db(), run->id, runName);
      if (!loaded) return loaded.error();
      matrix = std::make_shared<const EmbeddingMatrix>(std::move(*loaded));
    } catch (const StoreError& e) {
      return Error{"cannot read the embeddings of run '" + runName + "' from " + project.path() +
                   ": " + e.what()};
    }
  }
  if (resolveNeighborMethod(method, matrix->rows()) == NeighborMethod::Exact) {
    return makeExactSearch(std::move(matrix));
  }
  return openHnsw(project.path(), runName, std::move(matrix), options, context);
}

}  // namespace pl
