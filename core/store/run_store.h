#pragma once
// Runs, their metric series and checkpoints in the project file. Callers own
// the connection; each write here is its own short transaction unless the
// caller has one open.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// A run's row. Status: created, running, paused, stopped, finished, failed.
struct RunRecord {
  int64_t id = 0;
  std::string name;
  std::string kind;
  std::string status;
  std::string message;
  std::string configJson;
  std::string createdAt;
  std::string updatedAt;
  double elapsedSeconds = 0;
  int64_t step = 0;
  double epoch = 0;
};

/// One point of a metric series.
struct MetricPoint {
  std::string name;
  int64_t step = 0;
  double value = 0;
  double wallSeconds = 0;
};

/// A checkpoint file recorded with its SHA-256.
struct CheckpointRecord {
  int64_t id = 0;
  int64_t step = 0;
  std::string path;     ///< absolute; empty when `refused`
  std::string sha256;
  /// Why the stored path cannot be used (it leads outside the project's
  /// folder: a damaged or crafted project); empty when the path is fine.
  std::string refused;
};

/// Creates a run; an existing name is an error that says so.
Result<int64_t> createRun(Database& db, const std::string& name, const std::string& kind,
                          const std::string& configJson);
std::optional<RunRecord> findRun(Database& db, const std::string& name);
std::vector<RunRecord> listRuns(Database& db);
void updateRunProgress(Database& db, int64_t runId, const std::string& status,
                       const std::string& message, int64_t step, double epoch,
                       double elapsedSeconds);
void saveRunTokenizer(Database& db, int64_t runId, const std::string& serializedModel);
std::string loadRunTokenizer(Database& db, int64_t runId);
/// The post-processing of the run's stored embeddings (a serialised
/// Whitening, see embed/whitening.h); empty when there is none.
void saveEmbeddingTransform(Database& db, int64_t runId, const std::string& blob);
std::string loadEmbeddingTransform(Database& db, int64_t runId);
/// Appends points in one transaction (INSERT OR REPLACE: a resumed run
/// rewrites the steps after its checkpoint).
void appendMetrics(Database& db, int64_t runId, const std::vector<MetricPoint>& points);
std::vector<MetricPoint> loadMetrics(Database& db, int64_t runId, const std::string& name);
/// The names of a run's metric series, sorted (e.g. to offer them before loading any).
std::vector<std::string> listMetricNames(Database& db, int64_t runId);
/// Every point of every series of a run, ordered by name, then step: one query
/// instead of one per series when a stored run is shown.
std::vector<MetricPoint> loadAllMetrics(Database& db, int64_t runId);
/// Drops metric points after `step` (a resume restarts from its checkpoint).
void truncateMetrics(Database& db, int64_t runId, int64_t step);
/// Records a checkpoint file; its path is stored relative to the project's
/// folder (store/project_paths.h), so the project can move.
void recordCheckpoint(Database& db, int64_t runId, int64_t step, const std::string& path,
                      const std::string& sha256);
/// The newest checkpoint, its path resolved to the absolute file; a stored
/// path that leads outside the project's folder leaves `path` empty and says
/// so in `refused` (every loader checks it), so listing runs never fails.
std::optional<CheckpointRecord> latestCheckpoint(Database& db, int64_t runId);
/// Every recorded checkpoint of the run, newest first.
std::vector<CheckpointRecord> runCheckpoints(Database& db, int64_t runId);
/// Drops the run's checkpoint rows after `step` (their files stay; a later
/// save at that step replaces them atomically).
void forgetCheckpointsAfter(Database& db, int64_t runId, int64_t step);

}  // namespace pl
