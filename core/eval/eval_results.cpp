#include "eval/eval_results.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace pl {

namespace {

// Fractions are a key column: 0.1 typed, parsed or computed as 1/10 must be
// the same row, so keep six decimals (0.01% steps are more than anyone asks).
double keyFraction(double fraction) { return std::round(fraction * 1e6) / 1e6; }

std::string metricsJson(const std::map<std::string, double>& metrics) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : metrics) {
    // JSON has no NaN/inf; a metric that could not be computed is left out.
    if (std::isfinite(value)) object[name] = value;
  }
  return object.dump();
}

std::map<std::string, double> parseMetrics(const std::string& text) {
  std::map<std::string, double> metrics;
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return metrics;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it.value().is_number()) metrics[it.key()] = it.value().get<double>();
  }
  return metrics;
}

}  // namespace

void saveEvalResult(Database& db, const EvalResult& result) {
  auto st = db.prepare(
      "INSERT INTO eval_results(subject, method, label, fraction, metrics_json, train_items, "
      "test_items, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(subject, method, label, fraction) DO UPDATE SET "
      "metrics_json = excluded.metrics_json, train_items = excluded.train_items, "
      "test_items = excluded.test_items, seconds = excluded.seconds, "
      "created_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')");
  st.bind(1, result.subject).bind(2, result.method).bind(3, result.label);
  st.bind(4, keyFraction(result.fraction)).bind(5, metricsJson(result.metrics));
  st.bind(6, result.trainItems).bind(7, result.testItems).bind(8, result.seconds);
  st.run();
}

std::vector<EvalResult> listEvalResults(Database& db, const std::string& label) {
  std::string sql =
      "SELECT subject, method, label, fraction, metrics_json, train_items, test_items, seconds, "
      "created_at FROM eval_results";
  if (!label.empty()) sql += " WHERE label = ?";
  sql += " ORDER BY label, method, subject, fraction";
  auto st = db.prepare(sql);
  if (!label.empty()) st.bind(1, label);
  std::vector<EvalResult> results;
  while (st.step()) {
    EvalResult r;
    r.subject = st.text(0);
    r.method = st.text(1);
    r.label = st.text(2);
    r.fraction = st.real(3);
    r.metrics = parseMetrics(st.text(4));
    r.trainItems = st.int64(5);
    r.testItems = st.int64(6);
    r.seconds = st.real(7);
    r.createdAt = st.text(8);
    results.push_back(std::move(r));
  }
  return results;
}

void savePredictions(Database& db, int64_t runId, const std::string& labelName,
                     const std::vector<ProductPrediction>& predictions) {
  Transaction tx(db);
  db.prepare("DELETE FROM predictions WHERE run_id = ?").bind(1, runId).run();
  auto st = db.prepare(
      "INSERT INTO predictions(run_id, product_id, label_name, label, confidence) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const auto& p : predictions) {
    st.bind(1, runId).bind(2, p.productId).bind(3, labelName).bind(4, p.label);
    st.bind(5, static_cast<double>(p.confidence));
    st.run();
  }
  tx.commit();
}

std::vector<ProductPrediction> loadPredictions(Database& db, int64_t runId) {
  auto st = db.prepare(
      "SELECT product_id, label, confidence FROM predictions WHERE run_id = ? ORDER BY product_id");
  st.bind(1, runId);
  std::vector<ProductPrediction> out;
  while (st.step()) {
    out.push_back({st.int64(0), st.text(1), static_cast<float>(st.real(2))});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> runsWithPredictions(Database& db) {
  auto st = db.prepare(
      "SELECT r.name, (SELECT label_name FROM predictions p WHERE p.run_id = r.id LIMIT 1) "
      "FROM runs r WHERE EXISTS (SELECT 1 FROM predictions p WHERE p.run_id = r.id) "
      "ORDER BY r.name");
  std::vector<std::pair<std::string, std::string>> out;
  while (st.step()) out.emplace_back(st.text(0), st.text(1));
  return out;
}

}  // namespace pl
