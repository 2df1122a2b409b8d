#include "store/project_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

namespace pl {

ProjectWriteLock::~ProjectWriteLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

Result<std::shared_ptr<ProjectWriteLock>> lockProjectForWriting(const std::string& path) {
  // Keyed by the file itself, so two spellings of one path share the lock.
  static std::mutex mutex;
  static std::map<std::pair<dev_t, ino_t>, std::weak_ptr<ProjectWriteLock>> held;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{"cannot lock " + path + ": " + std::strerror(errno)};
  const auto key = std::make_pair(st.st_dev, st.st_ino);
  std::lock_guard<std::mutex> guard(mutex);
  if (auto mine = held[key].lock()) return mine;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{"cannot lock " + path + ": " + std::strerror(errno)};
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) {
      ::close(fd);
      return Error{path + " is open for writing in another ProductLens process (the workbench or "
                          "productlens-cli); close it there first, or open it read-only"};
    }
    // A file system without flock (some network mounts): go on unguarded
    // rather than refuse every project on it.
  }
  auto lock = std::make_shared<ProjectWriteLock>(fd);
  held[key] = lock;
  return lock;
}

std::string projectReadOnlyReason(const std::string& path, bool* noJournal) {
  if (noJournal) *noJournal = false;
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY)) {
    if (noJournal) *noJournal = true;
    return "it is on a read-only file system";
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  // No write bit at all: the user marked it read-only; root honours that too.
  if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) return "the file is marked read-only";
  if (::access(path.c_str(), W_OK) != 0) return "you do not have permission to write it";
  const auto slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (::access(folder.c_str(), W_OK) != 0) {
    if (noJournal) *noJournal = true;
    return "its folder is not writable (SQLite keeps its journal beside the file)";
  }
  return "";
}

}  // namespace pl
