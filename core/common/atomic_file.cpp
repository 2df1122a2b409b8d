#include "common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pl {

namespace {

std::string directoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

Status syncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Error{"cannot open " + path + ": " + std::strerror(errno)};
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error{"cannot flush " + path + " to disk: " + std::strerror(errno)};
  return Status::success();
}

}  // namespace

Status writeFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Error{"cannot write " + tmp + ": " + std::strerror(errno)};
  size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  bool ok = written == bytes.size() && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  int err = errno;
  std::fclose(f);
  if (!ok) {
    std::remove(tmp.c_str());
    return Error{"cannot write " + path + ": " + std::strerror(err) +
                 " (is the disk full?); the previous file is kept"};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    std::remove(tmp.c_str());
    return Error{"cannot replace " + path + ": " + std::strerror(err)};
  }
  return syncPath(directoryOf(path), true);
}

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (!file_) error_ = errno;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_) {
    std::fclose(file_);
    std::remove(tmp_.c_str());
  }
}

void AtomicFileWriter::write(const std::string& bytes) {
  if (!file_ || error_ != 0) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) error_ = errno ? errno : EIO;
}

Status AtomicFileWriter::commit() {
  if (!file_) return Error{"cannot write " + tmp_ + ": " + std::strerror(error_)};
  bool ok = error_ == 0 && std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
  int err = error_ != 0 ? error_ : errno;
  std::fclose(file_);
  file_ = nullptr;
  if (!ok) {
    std::remove(tmp_.c_str());
    return Error{"cannot write " + path_ + ": " + std::strerror(err) +
                 " (is the disk full?); the previous file is kept"};
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    err = errno;
    std::remove(tmp_.c_str());
    return Error{"cannot replace " + path_ + ": " + std::strerror(err)};
  }
  return syncPath(directoryOf(path_), true);
}

}  // namespace pl
