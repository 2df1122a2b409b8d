#pragma once
#include <cstdint>

#include "catalog/catalog_import.h"

namespace pl {

/// Reads a co-purchase file (one line per order item, e.g. Instacart's
/// order_products__prior.csv) into baskets of `catalogId`. Items naming no
/// product of the catalog are counted as bad lines. Runs inside the caller's
/// transaction. Returns an error for a missing column or, in strict mode, a
/// bad line.
Status importBaskets(Database& db, int64_t catalogId, const ImportOptions& options,
                     ImportReport& report, JobContext& context);

}  // namespace pl
