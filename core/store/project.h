#pragma once
#include <memory>
#include <string>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// How to open a project file.
enum class OpenMode {
  Existing,        ///< must already be a project
  CreateIfMissing, ///< create an empty project when the file does not exist
  ReadOnly,        ///< open an existing project without writing
};

/// An open `*.plens` project: one SQLite file in WAL mode with foreign keys
/// on, migrated to the current schema on open.
class Project {
 public:
  /// Opens or creates the project. Fails with a clear message when the file
  /// is not a project, is damaged, or was written by a newer ProductLens.
  static Result<std::unique_ptr<Project>> open(const std::string& path,
                                               OpenMode mode = OpenMode::Existing);

  Database& db() { return *db_; }
  const std::string& path() const { return db_->path(); }
  int schemaVersion() { return static_cast<int>(db_->scalar("PRAGMA user_version")); }

 private:
  explicit Project(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  std::unique_ptr<Database> db_;
};

}  // namespace pl
