#include "catalog/idx_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace pl {

int64_t IdxArray::itemSize() const {
  int64_t size = 1;
  for (size_t i = 1; i < dims.size(); ++i) size *= dims[i];
  return size;
}

Result<IdxArray> parseIdx(const std::vector<uint8_t>& bytes, const std::string& name) {
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0) {
    return Error{name + " is not an IDX file (bad magic number)"};
  }
  if (bytes[2] != 0x08) {
    return Error{name + ": only unsigned-byte IDX data (type 0x08) is supported"};
  }
  int ndim = bytes[3];
  if (ndim < 1 || ndim > 4) return Error{name + ": unsupported IDX rank " + std::to_string(ndim)};
  size_t headerSize = 4 + 4 * static_cast<size_t>(ndim);
  if (bytes.size() < headerSize) return Error{name + ": IDX header is truncated"};
  IdxArray out;
  // The item size (dims after the first) is bounded on its own: with a zero
  // count the total is 0 whatever the other dims, and itemSize() would
  // overflow (found by fuzz_idx). Both are checked before multiplying, so
  // neither product can wrap.
  constexpr uint64_t kLimit = uint64_t(1) << 34;
  uint64_t total = 1, item = 1;
  for (int d = 0; d < ndim; ++d) {
    const uint8_t* p = &bytes[4 + 4 * d];
    uint32_t v = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
    if (v > 0x7fffffffu) return Error{name + ": IDX dimension too large"};
    out.dims.push_back(static_cast<int32_t>(v));
    if (v != 0 && (total > kLimit / v || (d > 0 && item > kLimit / v))) {
      return Error{name + ": IDX array too large"};
    }
    total *= v;
    if (d > 0) item *= v;
  }
  if (bytes.size() - headerSize != total) {
    return Error{name + ": IDX data has " + std::to_string(bytes.size() - headerSize) +
                 " bytes, the header promises " + std::to_string(total)};
  }
  out.data.assign(bytes.begin() + static_cast<long>(headerSize), bytes.end());
  return out;
}

Result<IdxArray> readIdxFile(const std::string& path) {
  // gzread reads plain files too, so one path serves .gz and raw IDX.
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Error{"cannot open " + path + ": " + std::strerror(errno)};
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  for (;;) {
    int n = gzread(f, buf, sizeof buf);
    if (n < 0) {
      int code = 0;
      std::string msg = gzerror(f, &code);
      gzclose(f);
      return Error{path + " is damaged: " + msg};
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buf, buf + n);
  }
  gzclose(f);
  return parseIdx(bytes, path);
}

}  // namespace pl
