#pragma once
#include <cstdint>
#include <string>

#include "common/result.h"

namespace pl {

/// Incremental SHA-256 (FIPS 180-4). Checkpoints are recorded with their
/// hash so a damaged or swapped file is refused before it is loaded.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  /// Lower-case hex digest; the object must not be updated afterwards.
  std::string hexDigest();

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t length_ = 0;
};

/// SHA-256 of bytes already in memory, as lower-case hex.
std::string sha256Hex(const std::string& bytes);

/// The whole file in memory, or an error naming it. Readers that verify a
/// file and then parse it use this once, so the file cannot be swapped
/// between the check and the read.
Result<std::string> readWholeFile(const std::string& path);

}  // namespace pl
