#pragma once
#include <cstdint>

#include "store/sqlite_db.h"

namespace pl {

/// While alive, commits on `db` are durable against power loss
/// (PRAGMA synchronous = FULL); the previous level comes back afterwards.
/// For the few transactions after which something irreversible happens
/// outside the database (deleting a file the old rows named). Inside an
/// open transaction it does nothing: SQLite cannot change the level there,
/// and the outer commit's owner decides.
class SynchronousCommits {
 public:
  explicit SynchronousCommits(Database& db);
  ~SynchronousCommits();
  SynchronousCommits(const SynchronousCommits&) = delete;
  SynchronousCommits& operator=(const SynchronousCommits&) = delete;

 private:
  Database& db_;
  int64_t previous_;
  bool active_ = false;
};

}  // namespace pl
