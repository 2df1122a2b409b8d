#pragma once
// One writer per project: a process that opens a project for writing holds
// an exclusive flock() on the file until its last writable Project closes.
// Another process asking to write is refused with a clear message; readers
// (OpenMode::ReadOnly) never take the lock, WAL lets them read alongside.
// flock, not fcntl: SQLite's own fcntl locks would be dropped with it when
// any descriptor of the file closes, and flock is released by the kernel
// when the holder dies (kill -9 included), so no stale lock survives.

#include <memory>
#include <string>

#include "common/result.h"

namespace pl {

/// The process's write lock on one project file; shared by every writable
/// Project of that file in this process (the GUI's and its workers').
class ProjectWriteLock {
 public:
  explicit ProjectWriteLock(int fd) : fd_(fd) {}
  ~ProjectWriteLock();
  ProjectWriteLock(const ProjectWriteLock&) = delete;
  ProjectWriteLock& operator=(const ProjectWriteLock&) = delete;

 private:
  int fd_;
};

/// Takes (or shares, within this process) the write lock on the existing file
/// `path`; an error naming the file when another process holds it.
Result<std::shared_ptr<ProjectWriteLock>> lockProjectForWriting(const std::string& path);

/// Why `path` cannot be written, in plain words ("" when it can): a
/// read-only file system, a file marked read-only, no permission, or a
/// folder SQLite cannot create its journal in. `noJournal` is set when
/// SQLite must not even try to create files beside it (open it immutable).
std::string projectReadOnlyReason(const std::string& path, bool* noJournal = nullptr);

}  // namespace pl
