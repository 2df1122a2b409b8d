#pragma once
#include <cstdint>
#include <string>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// Writes the run's stored predictions as CSV (RFC 4180, atomically):
/// id (the catalog's own id), title, predicted_label, confidence; one row
/// per product in product order. Returns the number of rows.
Result<int64_t> exportPredictionsCsv(Database& db, int64_t runId, const std::string& path);

}  // namespace pl
