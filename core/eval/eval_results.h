#pragma once
// Evaluation results and predictions kept in the project (schema 6), so the
// Fine-tune page, `productlens-cli eval` and reports show every run and
// baseline side by side without recomputing them.
// CONTRACT shared by core/finetune, the CLI and ui/finetune: extend, don't break.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/sqlite_db.h"

namespace pl {

/// One scored (subject, method, label, fraction): a row of the results table
/// and a point of the label-efficiency chart.
struct EvalResult {
  /// What was scored: a run's name ("ssl", "ft-articleType-10") or a
  /// baseline ("tf-idf", "lsa-128").
  std::string subject;
  /// How: "knn" (leave-one-out k-NN on embeddings), "probe" (linear probe on
  /// frozen features; TF-IDF+logistic regression is subject "tf-idf" with
  /// method "probe"), "finetune-probe", "finetune-full" (pretrained start),
  /// "scratch-full" (random-initialisation control), "baskets" (co-purchase
  /// retrieval).
  std::string method;
  std::string label;   ///< label name as the user gave it; "" for baskets
  double fraction = 1; ///< share of the label's training split used (1 for knn/baskets)
  /// Metric name -> value: accuracy, macro_f1, knn_accuracy, precision_at_k,
  /// recall_at_10, ndcg_at_10 (names the UI shows as columns).
  std::map<std::string, double> metrics;
  int64_t trainItems = 0;
  int64_t testItems = 0;
  double seconds = 0;
  std::string createdAt;  ///< set by the store
};

/// Stores `result`, replacing an earlier one with the same subject, method,
/// label and fraction (a re-run updates its row instead of piling up).
void saveEvalResult(Database& db, const EvalResult& result);

/// Every stored result (of one label when `label` is not empty), ordered by
/// label, method, subject, fraction.
std::vector<EvalResult> listEvalResults(Database& db, const std::string& label = "");

/// A fine-tuned classifier's label for one product.
struct ProductPrediction {
  int64_t productId = 0;
  std::string label;
  float confidence = 0;  ///< softmax probability of `label`
};

/// Replaces the run's stored predictions.
void savePredictions(Database& db, int64_t runId, const std::string& labelName,
                     const std::vector<ProductPrediction>& predictions);
/// The run's predictions, ordered by product id (empty when it has none).
std::vector<ProductPrediction> loadPredictions(Database& db, int64_t runId);
/// Names of the runs that have predictions, with the label each predicts.
std::vector<std::pair<std::string, std::string>> runsWithPredictions(Database& db);

}  // namespace pl
