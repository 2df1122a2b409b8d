#pragma once
// The Explore page's background work, each a core job on the page's own
// JobRunner (so a map can be computed while a run trains on the window's):
// opening a run (embeddings, neighbour search, stored map), computing the
// embeddings, computing a map.

#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/result.h"
#include "embed/embed_job.h"
#include "embed/embedding_matrix.h"
#include "neighbors/neighbor_search.h"
#include "projection/projection.h"
#include "store/sqlite_db.h"
#include "ui/job_runner.h"

namespace pl::ui {

/// A run in the run chooser.
struct RunChoice {
  qint64 id = 0;
  QString name;
  QString status;
  bool hasEmbeddings = false;
};

/// The project's runs, oldest first, with whether each has stored embeddings.
std::vector<RunChoice> listRunChoices(pl::Database& db);

/// What the page needs of a run with embeddings.
struct ExploreRun {
  qint64 runId = 0;
  QString name;
  std::shared_ptr<const pl::EmbeddingMatrix> matrix;
  std::shared_ptr<const pl::NeighborSearch> search;
  std::vector<pl::ProjectionMethod> storedMethods;
  /// The stored map of the preferred method, else of the first stored one.
  std::optional<pl::Projection> projection;
};

/// Loads the run's embeddings, opens its neighbour search (HNSW above
/// kExactSearchLimit rows, built with progress) and its stored map.
bool startOpenRun(JobRunner& runner, const QString& projectPath, const QString& runName,
                  pl::ProjectionMethod preferred,
                  std::function<void(const pl::Result<ExploreRun>&)> done);

/// Computes and stores the run's embeddings.
bool startEmbedding(JobRunner& runner, const QString& projectPath, const QString& runName,
                    std::function<void(const pl::Result<pl::EmbedReport>&)> done);

/// Computes and stores a map; partial maps arrive as JobRunner::partialResult
/// (std::shared_ptr<const ProjectionSnapshot>).
bool startProjection(JobRunner& runner, const QString& projectPath, const QString& runName,
                     const pl::ProjectionOptions& options,
                     std::function<void(const pl::Result<pl::Projection>&)> done);

}  // namespace pl::ui
