#include "projection/projection_store.h"

#include <cstdio>
#include <cstring>

#include "common/atomic_file.h"
#include "common/csv_field.h"

namespace pl {

namespace {

template <typename T>
std::vector<T> blobAs(const std::vector<uint8_t>& blob) {
  std::vector<T> out(blob.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), blob.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace

void storeProjection(Database& db, int64_t runId, const Projection& projection) {
  Transaction tx(db);
  const std::string method = projectionMethodName(projection.method);
  db.prepare("DELETE FROM projections WHERE run_id = ? AND method = ?").bind(1, runId).bind(2, method).run();
  auto st = db.prepare(
      "INSERT INTO projections(run_id, method, params_json, embeddings_fingerprint, product_ids, "
      "coordinates, explained_variance, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, runId).bind(2, method).bind(3, projection.paramsJson).bind(4, projection.embeddingsFingerprint);
  st.bindBlob(5, projection.rowIds.data(), projection.rowIds.size() * sizeof(int64_t));
  st.bindBlob(6, projection.xy.data(), projection.xy.size() * sizeof(float));
  if (projection.explainedVariance.empty()) {
    st.bindNull(7);
  } else {
    st.bindBlob(7, projection.explainedVariance.data(), projection.explainedVariance.size() * sizeof(double));
  }
  st.bind(8, projection.seconds);
  st.run();
  tx.commit();
}

std::optional<Projection> loadProjection(Database& db, int64_t runId, ProjectionMethod method) {
  auto st = db.prepare(
      "SELECT params_json, embeddings_fingerprint, product_ids, coordinates, explained_variance, "
      "seconds, created_at FROM projections WHERE run_id = ? AND method = ?");
  st.bind(1, runId).bind(2, projectionMethodName(method));
  if (!st.step()) return std::nullopt;
  Projection p;
  p.method = method;
  p.paramsJson = st.text(0);
  p.embeddingsFingerprint = st.text(1);
  p.rowIds = blobAs<int64_t>(st.blob(2));
  p.xy = blobAs<float>(st.blob(3));
  if (!st.isNull(4)) p.explainedVariance = blobAs<double>(st.blob(4));
  p.seconds = st.real(5);
  p.createdAt = st.text(6);
  // A damaged row must not hand the map view more points than coordinates.
  if (p.xy.size() != p.rowIds.size() * 2) return std::nullopt;
  return p;
}

std::vector<ProjectionMethod> listProjections(Database& db, int64_t runId) {
  std::vector<ProjectionMethod> methods;
  auto st = db.prepare("SELECT method FROM projections WHERE run_id = ? ORDER BY id");
  st.bind(1, runId);
  while (st.step()) {
    if (auto m = parseProjectionMethod(st.text(0))) methods.push_back(*m);
  }
  return methods;
}

Status exportProjectionCsv(Database& db, const Projection& projection, const std::string& path) {
  std::string csv = "id,x,y\n";
  csv.reserve(static_cast<size_t>(projection.points()) * 32);
  try {
    auto st = db.prepare("SELECT ext_id FROM products WHERE id = ?");
    char numbers[64];
    for (int64_t i = 0; i < projection.points(); ++i) {
      st.bind(1, projection.rowIds[static_cast<size_t>(i)]);
      if (!st.step()) {
        return Error{"product " + std::to_string(projection.rowIds[static_cast<size_t>(i)]) +
                     " of the map is no longer in the project; compute the map again"};
      }
      std::snprintf(numbers, sizeof numbers, ",%.7g,%.7g\n", projection.xy[2 * i], projection.xy[2 * i + 1]);
      csv += csvField(st.text(0));
      csv += numbers;
      st.reset();
    }
  } catch (const StoreError& e) {
    return Error{std::string("cannot read product ids: ") + e.what()};
  }
  return writeFileAtomically(path, csv);
}

}  // namespace pl
