#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl {

/// An unsigned-byte IDX array (the MNIST family's format): dimensions and
/// row-major data.
struct IdxArray {
  std::vector<int32_t> dims;
  std::vector<uint8_t> data;
  int64_t count() const { return dims.empty() ? 0 : dims[0]; }
  /// Bytes per item (product of the dimensions after the first).
  int64_t itemSize() const;
};

/// Parses IDX bytes held in memory: magic 0x00 0x00 0x08 ndim, big-endian
/// dims, then exactly prod(dims) bytes. `name` is used in error messages.
Result<IdxArray> parseIdx(const std::vector<uint8_t>& bytes, const std::string& name);

/// Reads an IDX file, gzip-compressed (.gz, as Debian ships them) or plain.
Result<IdxArray> readIdxFile(const std::string& path);

}  // namespace pl
