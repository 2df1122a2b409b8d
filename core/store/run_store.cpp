#include "store/run_store.h"

#include "store/project_paths.h"

namespace pl {

namespace {

RunRecord readRun(Statement& st) {
  RunRecord r;
  r.id = st.int64(0);
  r.name = st.text(1);
  r.kind = st.text(2);
  r.status = st.text(3);
  r.message = st.text(4);
  r.configJson = st.text(5);
  r.createdAt = st.text(6);
  r.updatedAt = st.text(7);
  r.elapsedSeconds = st.real(8);
  r.step = st.int64(9);
  r.epoch = st.real(10);
  return r;
}

constexpr const char* kRunColumns =
    "SELECT id, name, kind, status, message, config_json, created_at, updated_at, "
    "elapsed_seconds, step, epoch FROM runs ";

}  // namespace

Result<int64_t> createRun(Database& db, const std::string& name, const std::string& kind,
                          const std::string& configJson) {
  if (name.empty()) return Error{"a run needs a name"};
  if (findRun(db, name)) {
    return Error{"a run named '" + name + "' already exists; pick another name or use --resume"};
  }
  db.prepare("INSERT INTO runs(name, kind, config_json) VALUES (?, ?, ?)")
      .bind(1, name)
      .bind(2, kind)
      .bind(3, configJson)
      .run();
  return db.lastInsertId();
}

std::optional<RunRecord> findRun(Database& db, const std::string& name) {
  auto st = db.prepare(std::string(kRunColumns) + "WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return readRun(st);
}

std::vector<RunRecord> listRuns(Database& db) {
  std::vector<RunRecord> runs;
  auto st = db.prepare(std::string(kRunColumns) + "ORDER BY id");
  while (st.step()) runs.push_back(readRun(st));
  return runs;
}

void updateRunProgress(Database& db, int64_t runId, const std::string& status,
                       const std::string& message, int64_t step, double epoch,
                       double elapsedSeconds) {
  db.prepare(
        "UPDATE runs SET status = ?, message = ?, step = ?, epoch = ?, elapsed_seconds = ?, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?")
      .bind(1, status)
      .bind(2, message)
      .bind(3, step)
      .bind(4, epoch)
      .bind(5, elapsedSeconds)
      .bind(6, runId)
      .run();
}

void saveRunTokenizer(Database& db, int64_t runId, const std::string& serializedModel) {
  db.prepare("UPDATE runs SET tokenizer = ? WHERE id = ?")
      .bindBlob(1, serializedModel.data(), serializedModel.size())
      .bind(2, runId)
      .run();
}

std::string loadRunTokenizer(Database& db, int64_t runId) {
  auto st = db.prepare("SELECT tokenizer FROM runs WHERE id = ?");
  st.bind(1, runId);
  if (!st.step() || st.isNull(0)) return {};
  auto bytes = st.blob(0);
  return std::string(bytes.begin(), bytes.end());
}

void saveEmbeddingTransform(Database& db, int64_t runId, const std::string& blob) {
  auto st = db.prepare("UPDATE runs SET embedding_transform = ? WHERE id = ?");
  if (blob.empty()) {
    st.bindNull(1);
  } else {
    st.bindBlob(1, blob.data(), blob.size());
  }
  st.bind(2, runId).run();
}

std::string loadEmbeddingTransform(Database& db, int64_t runId) {
  auto st = db.prepare("SELECT embedding_transform FROM runs WHERE id = ?");
  st.bind(1, runId);
  if (!st.step() || st.isNull(0)) return {};
  auto bytes = st.blob(0);
  return std::string(bytes.begin(), bytes.end());
}

void appendMetrics(Database& db, int64_t runId, const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  Transaction tx(db);
  auto st = db.prepare(
      "INSERT OR REPLACE INTO metrics(run_id, name, step, value, wall_seconds) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const auto& p : points) {
    st.bind(1, runId).bind(2, p.name).bind(3, p.step).bind(4, p.value).bind(5, p.wallSeconds).run();
  }
  tx.commit();
}

std::vector<MetricPoint> loadMetrics(Database& db, int64_t runId, const std::string& name) {
  std::vector<MetricPoint> points;
  auto st = db.prepare(
      "SELECT step, value, wall_seconds FROM metrics WHERE run_id = ? AND name = ? ORDER BY step");
  st.bind(1, runId).bind(2, name);
  while (st.step()) points.push_back({name, st.int64(0), st.real(1), st.real(2)});
  return points;
}

std::vector<std::string> listMetricNames(Database& db, int64_t runId) {
  std::vector<std::string> names;
  auto st = db.prepare("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name");
  st.bind(1, runId);
  while (st.step()) names.push_back(st.text(0));
  return names;
}

std::vector<MetricPoint> loadAllMetrics(Database& db, int64_t runId) {
  std::vector<MetricPoint> points;
  // The primary key (run_id, name, step) serves this order without a sort.
  auto st = db.prepare(
      "SELECT name, step, value, wall_seconds FROM metrics WHERE run_id = ? ORDER BY name, step");
  st.bind(1, runId);
  while (st.step()) points.push_back({st.text(0), st.int64(1), st.real(2), st.real(3)});
  return points;
}

void truncateMetrics(Database& db, int64_t runId, int64_t step) {
  db.prepare("DELETE FROM metrics WHERE run_id = ? AND step > ?").bind(1, runId).bind(2, step).run();
}

void recordCheckpoint(Database& db, int64_t runId, int64_t step, const std::string& path,
                      const std::string& sha256) {
  db.prepare("INSERT INTO checkpoints(run_id, step, path, sha256) VALUES (?, ?, ?, ?)")
      .bind(1, runId)
      .bind(2, step)
      .bind(3, toStoredPath(db, path))
      .bind(4, sha256)
      .run();
}

namespace {

CheckpointRecord checkpointRow(Database& db, Statement& st) {
  const int64_t id = st.int64(0);
  auto path = resolveStoredPath(db, st.text(2), "checkpoint row " + std::to_string(id));
  if (!path) return CheckpointRecord{id, st.int64(1), "", st.text(3), path.error().message};
  return CheckpointRecord{id, st.int64(1), *path, st.text(3), ""};
}

}  // namespace

std::optional<CheckpointRecord> latestCheckpoint(Database& db, int64_t runId) {
  auto st = db.prepare(
      "SELECT id, step, path, sha256 FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC "
      "LIMIT 1");
  st.bind(1, runId);
  if (!st.step()) return std::nullopt;
  return checkpointRow(db, st);
}

std::vector<CheckpointRecord> runCheckpoints(Database& db, int64_t runId) {
  auto st = db.prepare(
      "SELECT id, step, path, sha256 FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC");
  st.bind(1, runId);
  std::vector<CheckpointRecord> out;
  while (st.step()) out.push_back(checkpointRow(db, st));
  return out;
}

void forgetCheckpointsAfter(Database& db, int64_t runId, int64_t step) {
  db.prepare("DELETE FROM checkpoints WHERE run_id = ? AND step > ?").bind(1, runId).bind(2, step).run();
}

}  // namespace pl
