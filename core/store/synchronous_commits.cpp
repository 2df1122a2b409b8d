#include "store/synchronous_commits.h"

#include <sqlite3.h>

#include <string>

namespace pl {

SynchronousCommits::SynchronousCommits(Database& db) : db_(db), previous_(db.scalar("PRAGMA synchronous")) {
  // SQLite refuses to change the level inside a transaction; there the
  // outer commit is the one that counts, and its owner decides.
  active_ = sqlite3_get_autocommit(db.handle()) != 0;
  if (active_) db_.exec("PRAGMA synchronous = FULL");
}

SynchronousCommits::~SynchronousCommits() {
  if (!active_) return;
  try {
    db_.exec("PRAGMA synchronous = " + std::to_string(previous_));
  } catch (...) {
    // Staying at FULL is only slower; a destructor must not throw.
  }
}

}  // namespace pl
