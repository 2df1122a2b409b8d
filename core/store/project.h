#pragma once
#include <memory>
#include <string>

#include "common/result.h"
#include "store/project_lock.h"
#include "store/sqlite_db.h"

namespace pl {

/// How to open a project file.
enum class OpenMode {
  Existing,        ///< must already be a project
  CreateIfMissing, ///< create an empty project when the file does not exist
  ReadOnly,        ///< open an existing project without writing
  /// Writable when it can be; read-only (readOnlyReason() says why) when
  /// the file cannot be written or another process is writing it. The
  /// workbench opens projects so, and shows the reason in a banner.
  WritableOrReadOnly,
};

/// An open `*.plens` project: one SQLite file in WAL mode with foreign keys
/// on, migrated to the current schema on open. One process at a time may
/// write it (store/project_lock.h); others are refused or read.
class Project {
 public:
  /// Opens or creates the project. Fails with a clear message when the file
  /// is not a project, is damaged, was written by a newer ProductLens, is
  /// read-only, or another process has it open for writing (these two only
  /// for the writable modes).
  static Result<std::unique_ptr<Project>> open(const std::string& path,
                                               OpenMode mode = OpenMode::Existing);

  Database& db() { return *db_; }
  const std::string& path() const { return db_->path(); }
  int schemaVersion() { return static_cast<int>(db_->scalar("PRAGMA user_version")); }
  bool readOnly() const { return db_->readOnly(); }
  /// Why a WritableOrReadOnly open gave a read-only project ("" otherwise).
  const std::string& readOnlyReason() const { return readOnlyReason_; }

 private:
  Project(std::unique_ptr<Database> db, std::shared_ptr<ProjectWriteLock> lock, std::string reason)
      : lock_(std::move(lock)), db_(std::move(db)), readOnlyReason_(std::move(reason)) {}
  std::shared_ptr<ProjectWriteLock> lock_;  // released after the connection closes
  std::unique_ptr<Database> db_;
  std::string readOnlyReason_;
};

}  // namespace pl
