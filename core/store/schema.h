#pragma once
#include "store/sqlite_db.h"

namespace pl {

/// 'PLNS': marks a SQLite file as a ProductLens project (PRAGMA application_id).
constexpr int kProjectApplicationId = 0x504C4E53;

/// The schema version this build writes (PRAGMA user_version).
int currentSchemaVersion();

/// Brings a project's schema up to currentSchemaVersion(), one migration per
/// version step, each in its own transaction. Throws StoreError.
void migrateSchema(Database& db);

}  // namespace pl
