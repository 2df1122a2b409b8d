#pragma once
// Reading the safetensors layout that `export --format model` writes
// (model_export.h): an 8-byte little-endian header length, a JSON header
// naming each tensor's dtype, shape and byte range, then the raw data. Only
// float32 tensors are accepted, as the exporter writes only those. No
// LibTorch here: the caller copies the bytes into its own tensors.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl {

/// One tensor of a parsed safetensors file. `data` points into the file's
/// bytes (the string given to parseSafetensors, which must outlive it);
/// [data, data + bytes) lies inside them. `shape` is as the header states it:
/// the caller checks it against what it expects, and that `bytes` matches.
struct StoredTensor {
  std::vector<int64_t> shape;
  const char* data = nullptr;
  size_t bytes = 0;
};

/// Parses `file` (the whole file's bytes) and checks every entry as it is
/// read: the header lies inside the file and is a JSON object, every tensor
/// is F32, its shape and data_offsets are JSON integers >= 0, and its byte
/// range lies inside the data after the header. Errors name `path`. The
/// "__metadata__" entry is skipped.
Result<std::map<std::string, StoredTensor>> parseSafetensors(const std::string& file, const std::string& path);

}  // namespace pl
