#include "store/project.h"

#include <sys/stat.h>

#include "store/schema.h"

namespace pl {

namespace {

bool fileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Status checkIdentity(Database& db, const std::string& path) {
  int appId = static_cast<int>(db.scalar("PRAGMA application_id"));
  int64_t tables = db.scalar("SELECT count(*) FROM sqlite_master");
  if (appId != kProjectApplicationId && (appId != 0 || tables > 0)) {
    return Error{path + " is a SQLite database but not a ProductLens project"};
  }
  int version = static_cast<int>(db.scalar("PRAGMA user_version"));
  // user_version is a signed 32-bit field; a negative one would index the
  // migrations before their start (found by fuzz_project).
  if (version < 0) return Error{path + " is damaged (negative project schema version)"};
  if (version > currentSchemaVersion()) {
    return Error{path + " was written by a newer ProductLens (project schema " +
                 std::to_string(version) + ", this version reads up to " +
                 std::to_string(currentSchemaVersion()) + "); please update ProductLens"};
  }
  return Status::success();
}

}  // namespace

Result<std::unique_ptr<Project>> Project::open(const std::string& path, OpenMode mode) {
  bool exists = fileExists(path);
  if (!exists && mode != OpenMode::CreateIfMissing) {
    return Error{path + " does not exist"};
  }
  try {
    bool readOnly = mode == OpenMode::ReadOnly;
    bool noJournal = false;
    std::string reason = exists ? projectReadOnlyReason(path, &noJournal) : std::string();
    std::shared_ptr<ProjectWriteLock> lock;
    if (!readOnly && !reason.empty()) {
      if (mode != OpenMode::WritableOrReadOnly) {
        return Error{path + " is read-only: " + reason + ". Open it read-only, or copy it somewhere writable"};
      }
      readOnly = true;
    }
    if (!readOnly && exists) {
      auto locked = lockProjectForWriting(path);
      if (!locked && mode != OpenMode::WritableOrReadOnly) return locked.error();
      if (locked) lock = *locked;
      else {
        readOnly = true;
        reason = "another ProductLens process has it open for writing";
      }
    }
    if (mode == OpenMode::ReadOnly) reason.clear();  // asked for: nothing to explain
    auto db = std::make_unique<Database>(path, !exists, readOnly, readOnly && noJournal);
    if (!exists) {  // created just now: lock it before anything is written
      auto locked = lockProjectForWriting(path);
      if (!locked) return locked.error();
      lock = *locked;
    }
    // Reading the header is the first thing that fails on a non-SQLite file.
    try {
      db->scalar("SELECT count(*) FROM sqlite_master");
    } catch (const StoreError& e) {
      const int primary = e.code() & 0xff;
      if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) {
        // Opening a WAL project writes its -shm and -wal files: a full disk
        // fails here with a project that is fine.
        return Error{"cannot open " + path + ": " + sqlite3_errstr(e.code()) +
                     " (is the disk full? it needs room for its -wal and -shm files); the project is unchanged"};
      }
      return Error{path + " is not a ProductLens project (not a SQLite database, or damaged)"};
    }
    if (Status s = checkIdentity(*db, path); !s) return s.error();
    if (!readOnly) {
      db->exec("PRAGMA journal_mode = WAL");
      db->exec("PRAGMA synchronous = NORMAL");
    }
    db->exec("PRAGMA foreign_keys = ON");
    if (!readOnly) {
      db->exec("PRAGMA application_id = " + std::to_string(kProjectApplicationId));
      migrateSchema(*db);
    } else if (db->scalar("PRAGMA user_version") < currentSchemaVersion()) {
      return Error{path + " needs an upgrade to the current project schema; open it writable once"};
    }
    return std::unique_ptr<Project>(new Project(std::move(db), std::move(lock), std::move(reason)));
  } catch (const StoreError& e) {
    return Error{path + ": " + e.what()};
  }
}

}  // namespace pl
