#pragma once
// The projections table (schema 4): one stored map per run and method.

#include <cstdint>

#include "projection/projection.h"

namespace pl {

/// Stores `projection` as the run's map of its method, replacing any earlier
/// one, in one transaction (throws StoreError like the other store writes).
void storeProjection(Database& db, int64_t runId, const Projection& projection);

}  // namespace pl
