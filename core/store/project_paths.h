#pragma once
// Paths a project stores (checkpoint files) are relative to the project
// file's folder, so a project opens from any working directory and after
// its folder is moved or copied; and a stored path may never lead outside
// that folder, so a crafted project cannot make the tool read, replace or
// delete a file elsewhere.

#include <string>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// Default folder for a run's files, beside the project.
std::string defaultRunDirectory(const std::string& projectPath, const std::string& runName);

/// The absolute folder that holds the project file of `db`.
std::string projectFolder(const Database& db);

/// `path` (absolute, or relative to the working directory) as the project
/// stores it: relative to projectFolder(db). A path outside the folder is
/// returned absolute (and will be refused when read back).
std::string toStoredPath(const Database& db, const std::string& path);

/// The file a stored path names, absolute. Relative paths are taken from the
/// project folder; paths written before projects stored them relative (from
/// the working directory of the time, or absolute) are found again by their
/// "<project file>.runs/" part. Refused, naming the project and `row`, when
/// the result leaves the project folder. A project file renamed together with
/// its runs folder ("a.plens.runs" -> "b.plens.runs") finds its files there.
Result<std::string> resolveStoredPath(const Database& db, const std::string& stored,
                                      const std::string& row);

/// The stored path rewritten relative to the project folder when it is a
/// legacy form resolveStoredPath recognises; unchanged otherwise (the schema
/// migration that makes old projects portable).
std::string portableStoredPath(const Database& db, const std::string& stored);

}  // namespace pl
