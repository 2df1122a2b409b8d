#include "neighbors/hnsw_index_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.h"
#include "store/project_paths.h"

namespace pl {

namespace {

std::string directoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool flush(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

int64_t fileSize(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

// Reads `key` of the sidecar into `out`: false unless it is a whole number
// that fits T. nlohmann's get<int>() casts a float unchecked, which is
// undefined behaviour for "m": 1e30 (found while writing fuzz_hnsw).
template <typename T>
bool sidecarInteger(const nlohmann::json& j, const char* key, T& out) {
  const nlohmann::json& v = j.at(key);  // a missing key throws: damaged too
  const bool fits = v.is_number_unsigned()
                        ? v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max())
                        : v.is_number_integer() && v.get<int64_t>() >= std::numeric_limits<T>::min() &&
                              v.get<int64_t>() <= std::numeric_limits<T>::max();
  if (fits) out = static_cast<T>(v.get<int64_t>());
  return fits;
}

template <typename T>
T readPod(std::istream& in) {
  T value{};
  in.read(reinterpret_cast<char*>(&value), sizeof(T));
  return value;
}

}  // namespace

std::string hnswIndexPath(const std::string& projectPath, const std::string& runName) {
  return defaultRunDirectory(projectPath, runName) + "/neighbors.hnsw";
}

std::string hnswSidecarPath(const std::string& indexPath) { return indexPath + ".json"; }

std::optional<HnswIndexInfo> readHnswIndexInfo(const std::string& indexPath) {
  std::ifstream in(hnswSidecarPath(indexPath));
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    auto j = nlohmann::json::parse(text.str());
    HnswIndexInfo info;
    info.fingerprint = j.at("fingerprint").get<std::string>();
    if (!sidecarInteger(j, "rows", info.rows) || !sidecarInteger(j, "dim", info.dim) ||
        !sidecarInteger(j, "m", info.m) || !sidecarInteger(j, "ef_construction", info.efConstruction) ||
        !sidecarInteger(j, "file_bytes", info.fileBytes)) {
      return std::nullopt;
    }
    return info;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a damaged sidecar only costs a rebuild
  }
}

Status writeHnswIndexInfo(const std::string& indexPath, const HnswIndexInfo& info) {
  nlohmann::json j;
  j["format"] = "hnswlib-0.6 inner product";
  j["fingerprint"] = info.fingerprint;
  j["rows"] = info.rows;
  j["dim"] = info.dim;
  j["m"] = info.m;
  j["ef_construction"] = info.efConstruction;
  j["file_bytes"] = info.fileBytes;
  return writeFileAtomically(hnswSidecarPath(indexPath), j.dump(2) + "\n");
}

Result<int64_t> commitIndexFile(const std::string& tmpPath, const std::string& path,
                                int64_t expectedBytes) {
  const int64_t size = fileSize(tmpPath);
  if (size != expectedBytes || !flush(tmpPath, false)) {
    std::remove(tmpPath.c_str());
    return Error{"cannot write " + path + " (is the disk full?); the index was not saved"};
  }
  if (std::rename(tmpPath.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmpPath.c_str());
    return Error{"cannot replace " + path + ": " + std::strerror(err)};
  }
  flush(directoryOf(path), true);
  return size;
}

Status checkHnswFile(const std::string& path, int64_t expectedBytes,
                     const EmbeddingMatrix& matrix) {
  const int64_t size = fileSize(path);
  if (size < 0) return Error{"the neighbour index " + path + " is missing"};
  if (size != expectedBytes || size < kHnswHeaderBytes) {
    return Error{"the neighbour index " + path + " is damaged (" + std::to_string(size) +
                 " bytes instead of " + std::to_string(expectedBytes) + ")"};
  }
  std::ifstream in(path, std::ios::binary);
  const auto offsetLevel0 = readPod<uint64_t>(in);
  const auto maxElements = readPod<uint64_t>(in);
  const auto count = readPod<uint64_t>(in);
  const auto recordBytes = readPod<uint64_t>(in);
  const auto labelOffset = readPod<uint64_t>(in);
  const auto dataOffset = readPod<uint64_t>(in);
  const auto maxLevel = readPod<int32_t>(in);
  const auto entryPoint = readPod<uint32_t>(in);
  const auto maxM = readPod<uint64_t>(in);
  const auto maxM0 = readPod<uint64_t>(in);
  const auto m = readPod<uint64_t>(in);
  (void)readPod<double>(in);    // level multiplier
  (void)readPod<uint64_t>(in);  // efConstruction
  const auto rows = static_cast<uint64_t>(matrix.rows());
  const auto vectorBytes = static_cast<uint64_t>(matrix.dim) * sizeof(float);
  const bool fits = in && offsetLevel0 == 0 && maxElements == rows && count == rows && m >= 2 &&
                    m <= 10000 && maxM == m && maxM0 == 2 * m && dataOffset == 4 * maxM0 + 4 &&
                    labelOffset == dataOffset + vectorBytes && recordBytes == labelOffset + 8 &&
                    maxLevel >= 0 && maxLevel < 64 && entryPoint < rows &&
                    static_cast<uint64_t>(size) >= kHnswHeaderBytes + rows * (recordBytes + 4);
  if (!fits) return Error{"the neighbour index " + path + " does not fit the run's embeddings"};
  return Status::success();
}

}  // namespace pl
