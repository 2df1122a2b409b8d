#pragma once
// A fine-tuned run's predictions as CSV: what a merchandiser takes to a
// spreadsheet or back into the shop system.

#include <string>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// Writes `runName`'s stored predictions to `path` (atomically): a header
/// "id,title,predicted_<label>,confidence", then one line per product in
/// product order — the catalog's own id, the title, the predicted label and
/// its confidence (4 decimals). Fields are quoted per RFC 4180 (a comma,
/// quote or line break quotes the field, quotes are doubled). Returns the
/// number of products written.
Result<int64_t> exportPredictionsCsv(Database& db, const std::string& runName, const std::string& path);

/// One CSV field, quoted per RFC 4180 when it needs to be.
std::string quoteCsvField(const std::string& text);

}  // namespace pl
