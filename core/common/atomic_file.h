#pragma once
#include <cstdio>
#include <string>

#include "common/result.h"

namespace pl {

/// Writes `bytes` to `path` atomically: a temp file beside it, fsync,
/// rename over the old file, fsync of the folder. A crash or a full disk at
/// any moment leaves either the old file or the new one, never a mix.
Status writeFileAtomically(const std::string& path, const std::string& bytes);

/// The streaming form, for files too big to build in memory: appends go to
/// PATH.tmp; commit() flushes, fsyncs and renames it over PATH. Destroyed
/// without a commit (an error, a cancel), the temp file is removed and PATH
/// is untouched.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  /// False when the temp file could not be created (error() says why).
  bool isOpen() const { return file_ != nullptr; }
  void write(const std::string& bytes);
  /// Finishes the file; the first write error (a full disk, say) is reported here.
  Status commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  std::FILE* file_ = nullptr;
  int error_ = 0;
};

}  // namespace pl
