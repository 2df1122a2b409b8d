#include "neighbors/hnsw_index_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.h"
#include "train/pretrain_job.h"

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
    info.rows = j.at("rows").get<int64_t>();
    info.dim = j.at("dim").get<int64_t>();
    info.m = j.at("m").get<int>();
    info.efConstruction = j.at("ef_construction").get<int>();
    info.fileBytes = j.at("file_bytes").get<int64_t>();
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
