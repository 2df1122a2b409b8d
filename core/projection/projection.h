#pragma once
// 2D maps of a run's embeddings: PCA, t-SNE and UMAP, as jobs with progress,
// cancel and partial results (the map animates while it converges).
// CONTRACT shared by the CLI and the Explore page: extend, don't break.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "embed/embedding_matrix.h"
#include "neighbors/neighbor_search.h"
#include "store/project.h"

namespace pl {

enum class ProjectionMethod { Pca, Tsne, Umap };

/// "pca" | "tsne" | "umap".
Result<ProjectionMethod> parseProjectionMethod(const std::string& name);
std::string projectionMethodName(ProjectionMethod method);

/// t-SNE's repulsion: Barnes-Hut (theta) or FFT-accelerated interpolation (FIt-SNE).
enum class TsneRepulsion { Auto, BarnesHut, Interpolation };
/// Where Auto switches to interpolation (openTSNE's rule).
constexpr int64_t kTsneInterpolationFrom = 10000;

/// Settings of all three methods; each reads its own. 0 means "automatic".
struct ProjectionOptions {
  ProjectionMethod method = ProjectionMethod::Pca;
  uint64_t seed = 42;
  int threads = 0;  ///< 0: hardware concurrency
  /// kNN engine for t-SNE and UMAP. Auto: exact up to 50,000 rows, HNSW above
  /// (kProjectionExactKnnLimit, layout_methods.h: an exact graph is O(N^2)).
  NeighborMethod neighbors = NeighborMethod::Auto;
  // t-SNE
  double perplexity = 30;
  double learningRate = 0;        ///< 0: max(200, N / early exaggeration)
  double earlyExaggeration = 12;
  int tsneIterations = 0;         ///< 0: 750 (250 of them exaggerated)
  double theta = 0.5;             ///< Barnes-Hut accuracy
  /// How t-SNE computes the repulsion. Auto: Barnes-Hut below
  /// kTsneInterpolationFrom points, FFT-accelerated interpolation from there.
  TsneRepulsion tsneRepulsion = TsneRepulsion::Auto;
  // UMAP
  int nNeighbors = 15;
  double minDist = 0.1;
  int umapEpochs = 0;             ///< 0: 500 below 10k points, 200 above
  int negativeSamples = 5;

  /// Where an HNSW kNN graph takes its index from (not stored). Unset, one is
  /// built for the map and dropped; runProjectionJob sets it to the run's
  /// saved index (openNeighborSearch: loaded while it matches the embeddings,
  /// else built and saved), so the map and neighbour searches build it once.
  using HnswSource = std::function<Result<std::unique_ptr<NeighborSearch>>(
      std::shared_ptr<const EmbeddingMatrix>, const HnswOptions&, JobContext&)>;
  HnswSource hnswIndex;

  /// The options as JSON (stored with the coordinates).
  std::string toJson() const;
};

/// A finished (or partial) map. Row i of `xy` is EmbeddingMatrix row i.
struct Projection {
  ProjectionMethod method = ProjectionMethod::Pca;
  std::vector<int64_t> rowIds;        ///< products.id per point
  std::vector<float> xy;              ///< rows * 2
  /// PCA: share of the total variance of every principal component (all D,
  /// largest first; the map shows the first two). Empty for t-SNE and UMAP.
  std::vector<double> explainedVariance;
  std::string paramsJson;
  double seconds = 0;
  /// EmbeddingMatrix::fingerprint() of the embeddings mapped: a stored map
  /// whose fingerprint differs from the run's current one is out of date.
  std::string embeddingsFingerprint;
  std::string createdAt;  ///< ISO 8601 UTC, set when stored
  int64_t points() const { return static_cast<int64_t>(rowIds.size()); }
};

/// A partial result, sent through JobContext::partial() as
/// std::shared_ptr<const ProjectionSnapshot> every few hundred ms.
struct ProjectionSnapshot {
  ProjectionMethod method = ProjectionMethod::Pca;
  int iteration = 0;
  int iterations = 0;
  std::vector<float> xy;  ///< rows * 2, same order as the matrix
};

/// Computes the map of `matrix`. t-SNE and UMAP build their kNN graph with
/// the engine `options.neighbors` picks (see neighbors/neighbor_search.h).
Result<Projection> computeProjection(std::shared_ptr<const EmbeddingMatrix> matrix,
                                     const ProjectionOptions& options, JobContext& context);

/// Loads the run's embeddings, computes the map and stores it in the project
/// (replacing the previous one of that method). A cancelled job stores nothing.
Result<Projection> runProjectionJob(Project& project, const std::string& runName,
                                    const ProjectionOptions& options, JobContext& context);

/// The stored map of a run and method, if any.
std::optional<Projection> loadProjection(Database& db, int64_t runId, ProjectionMethod method);
/// Methods with a stored map for the run.
std::vector<ProjectionMethod> listProjections(Database& db, int64_t runId);

/// Writes CSV: id,x,y (the catalog's own ids), atomically.
Status exportProjectionCsv(Database& db, const Projection& projection, const std::string& path);

}  // namespace pl
