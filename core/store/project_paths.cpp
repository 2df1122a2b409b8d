#include "store/project_paths.h"

#include <filesystem>

namespace pl {

std::string defaultRunDirectory(const std::string& projectPath, const std::string& runName) {
  return projectPath + ".runs/" + runName;
}

namespace fs = std::filesystem;

namespace {

// Whether `path` lies inside `folder` (both absolute and normalised).
bool isInside(const fs::path& folder, const fs::path& path) {
  const fs::path relative = path.lexically_relative(folder);
  if (relative.empty() || relative.is_absolute()) return false;
  const std::string first = relative.begin()->string();
  return first != ".." && first != ".";
}

// "toys.plens.runs/": where every file a project writes lives.
std::string runsFolderName(const Database& db) {
  return fs::path(db.path()).filename().string() + ".runs/";
}

}  // namespace

std::string projectFolder(const Database& db) {
  return fs::absolute(fs::path(db.path())).lexically_normal().parent_path().string();
}

std::string toStoredPath(const Database& db, const std::string& path) {
  const fs::path folder(projectFolder(db));
  const fs::path absolute = fs::absolute(fs::path(path)).lexically_normal();
  if (isInside(folder, absolute)) return absolute.lexically_relative(folder).generic_string();
  return absolute.string();
}

std::string portableStoredPath(const Database& db, const std::string& stored) {
  const std::string marker = runsFolderName(db);
  if (stored.rfind(marker, 0) == 0) return stored;  // already relative to the folder
  // Written from another working directory ("data/toys.plens.runs/...") or
  // absolute from where the project used to be: the runs folder moved with it.
  const size_t at = stored.rfind("/" + marker);
  if (at != std::string::npos) return stored.substr(at + 1);
  const fs::path path(stored);
  if (path.is_absolute()) {
    const fs::path folder(projectFolder(db));
    const fs::path normal = path.lexically_normal();
    if (isInside(folder, normal)) return normal.lexically_relative(folder).generic_string();
  }
  return stored;
}

Result<std::string> resolveStoredPath(const Database& db, const std::string& stored,
                                      const std::string& row) {
  const fs::path folder(projectFolder(db));
  const fs::path portable(portableStoredPath(db, stored));
  fs::path absolute = (portable.is_absolute() ? portable : folder / portable).lexically_normal();
  // A project file renamed or copied under another name ("a.plens" ->
  // "b.plens", its runs folder renamed with it): the same file in this
  // project's runs folder.
  std::error_code existsError;
  if (!portable.is_absolute() && !fs::exists(absolute, existsError) && portable.begin() != portable.end()) {
    const std::string first = portable.begin()->string();
    const std::string runs = runsFolderName(db);
    if (first.size() > 5 && first.compare(first.size() - 5, 5, ".runs") == 0 && first + "/" != runs) {
      const fs::path renamed = (folder / runs / portable.lexically_relative(first)).lexically_normal();
      if (fs::exists(renamed, existsError)) absolute = renamed;
    }
  }
  auto refuse = [&] {
    return Error{db.path() + ": " + row + " names a file outside the project's folder (" + stored +
                 "); the project may be damaged or crafted, so the file is left alone"};
  };
  if (stored.empty() || !isInside(folder, absolute)) return refuse();
  // A link inside the folder that points out counts as outside.
  std::error_code linkError, folderError;
  const fs::path real = fs::weakly_canonical(absolute, linkError);
  const fs::path realFolder = fs::weakly_canonical(folder, folderError);
  if (!linkError && !folderError && !isInside(realFolder, real)) return refuse();
  return absolute.string();
}

}  // namespace pl
