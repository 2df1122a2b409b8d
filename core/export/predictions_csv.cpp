#include "export/predictions_csv.h"

#include <cstdio>

#include "common/atomic_file.h"
#include "eval/eval_results.h"
#include "store/run_store.h"

namespace pl {

std::string quoteCsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

Result<int64_t> exportPredictionsCsv(Database& db, const std::string& runName, const std::string& path) {
  std::string csv;
  int64_t written = 0;
  try {
    auto run = findRun(db, runName);
    if (!run) return Error{"the project has no run '" + runName + "'"};
    std::string label;
    for (const auto& [name, labelName] : runsWithPredictions(db)) {
      if (name == runName) label = labelName;
    }
    const std::vector<ProductPrediction> predictions = loadPredictions(db, run->id);
    if (predictions.empty()) {
      return Error{"run '" + runName + "' has no predictions yet; predict labels with it first"};
    }
    csv = "id,title," + quoteCsvField("predicted_" + label) + ",confidence\n";
    csv.reserve(predictions.size() * 64);
    auto st = db.prepare("SELECT ext_id, title FROM products WHERE id = ?");
    char confidence[32];
    for (const ProductPrediction& p : predictions) {
      st.bind(1, p.productId);
      if (!st.step()) {  // deleted since: nothing to name it by
        st.reset();
        continue;
      }
      std::snprintf(confidence, sizeof confidence, ",%.4f\n", static_cast<double>(p.confidence));
      csv += quoteCsvField(st.text(0));
      csv += ',';
      csv += quoteCsvField(st.text(1));
      csv += ',';
      csv += quoteCsvField(p.label);
      csv += confidence;
      st.reset();
      ++written;
    }
  } catch (const StoreError& e) {
    return Error{std::string("cannot read the predictions: ") + e.what()};
  }
  if (auto status = writeFileAtomically(path, csv); !status) return status.error();
  return written;
}

}  // namespace pl
