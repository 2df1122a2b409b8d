#include "finetune/prediction_csv.h"

#include <cstdio>

#include "common/atomic_file.h"
#include "common/csv_field.h"

namespace pl {

Result<int64_t> exportPredictionsCsv(Database& db, int64_t runId, const std::string& path) {
  std::string csv = "id,title,predicted_label,confidence\n";
  int64_t rows = 0;
  try {
    auto st = db.prepare(
        "SELECT p.ext_id, p.title, x.label, x.confidence FROM predictions x "
        "JOIN products p ON p.id = x.product_id WHERE x.run_id = ? ORDER BY x.product_id");
    st.bind(1, runId);
    char confidence[32];
    while (st.step()) {
      std::snprintf(confidence, sizeof confidence, "%.6g", st.real(3));
      csv += csvField(st.text(0)) + "," + csvField(st.text(1)) + "," + csvField(st.text(2)) + "," +
             confidence + "\n";
      ++rows;
    }
  } catch (const StoreError& e) {
    return Error{std::string("cannot read the predictions: ") + e.what()};
  }
  if (Status w = writeFileAtomically(path, csv); !w) return w.error();
  return rows;
}

}  // namespace pl
