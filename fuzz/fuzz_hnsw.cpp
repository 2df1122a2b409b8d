// A run's saved HNSW index (neighbors/hnsw_index_file.h, hnsw_search.h) on
// arbitrary bytes, read the way openNeighborSearch reads it, against a fixed
// matrix of 32 L2-normalised vectors of 8 dimensions. Byte 0 modulo 2:
//   0: the rest is the JSON sidecar (readHnswIndexInfo); when it describes
//      the fixture's build, the fixture's good index file is loaded with the
//      sidecar's file_bytes, as openNeighborSearch does;
//   1: the rest is the index file: checkHnswFile, then hnswlib's loader and
//      our graph checks (loadHnswIndex, told the input's own size, as a
//      crafted sidecar would), then a search when it loads.
// Every answer must be an error message or a search whose hits are rows of
// the matrix. hnswlib is header-only, so its loader is instrumented too
// (built with NO_MANUAL_VECTORIZATION, as the sanitizer builds are: its SSE
// path prefetches past a link list, see cmake/Sanitizers.cmake).
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "common/job_context.h"
#include "embed/embedding_matrix.h"
#include "fuzz_support.h"
#include "neighbors/hnsw_index_file.h"
#include "neighbors/hnsw_search.h"
#include "neighbors/neighbor_search.h"

namespace {

constexpr int kRows = 32;
constexpr int kDim = 8;
const pl::HnswOptions kOptions = [] {
  pl::HnswOptions o;
  o.m = 4;  // small records: a 32-row index is under 3 KB
  o.efConstruction = 32;
  o.efSearch = 16;
  o.threads = 1;
  return o;
}();

std::string indexPath() { return pl::fuzz::scratchDir() + "/neighbors.hnsw"; }

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Fixture {
  std::shared_ptr<const pl::EmbeddingMatrix> matrix;
  std::string fingerprint;
  std::string index;    ///< saveHnswIndex's file for the matrix
  std::string sidecar;  ///< writeHnswIndexInfo's sidecar for it
};

// Deterministic vectors (no RNG state shared with anything), normalised.
std::shared_ptr<const pl::EmbeddingMatrix> makeMatrix() {
  auto m = std::make_shared<pl::EmbeddingMatrix>();
  m->dim = kDim;
  uint32_t state = 12345;
  for (int r = 0; r < kRows; ++r) {
    m->rowIds.push_back(10 + 3 * r);
    double norm = 0;
    for (int d = 0; d < kDim; ++d) {
      state = state * 1664525u + 1013904223u;
      const float v = static_cast<float>(state >> 8) / static_cast<float>(1 << 24) - 0.5f;
      m->values.push_back(v);
      norm += double(v) * v;
    }
    for (int d = 0; d < kDim; ++d) m->values[size_t(r * kDim + d)] /= static_cast<float>(std::sqrt(norm));
  }
  return m;
}

Fixture& fixture() {
  static Fixture f = [] {
    Fixture out;
    out.matrix = makeMatrix();
    out.fingerprint = out.matrix->fingerprint();
    pl::JobContext context;
    auto built = pl::buildHnswSearch(out.matrix, kOptions, context);
    if (!built) std::abort();
    const std::string path = indexPath();
    auto bytes = pl::saveHnswIndex(**built, path);
    if (!bytes) std::abort();
    if (!pl::writeHnswIndexInfo(path, {out.fingerprint, out.matrix->rows(), out.matrix->dim, kOptions.m,
                                       kOptions.efConstruction, *bytes})) {
      std::abort();
    }
    out.index = fileBytes(path);
    out.sidecar = fileBytes(pl::hnswSidecarPath(path));
    // The harness is only worth running if its own index loads again.
    auto loaded = pl::loadHnswIndex(out.matrix, path, *bytes, kOptions.efSearch);
    unlink(path.c_str());
    unlink(pl::hnswSidecarPath(path).c_str());
    if (!loaded) {
      std::fprintf(stderr, "the fixture's own index does not load: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return out;
  }();
  return f;
}

void search(const pl::NeighborSearch& engine) {
  const pl::EmbeddingMatrix& m = *fixture().matrix;
  for (int64_t query : {int64_t{0}, int64_t{kRows - 1}}) {
    for (const auto& hit : engine.search(m.row(query), 5, query)) {
      if (hit.row < 0 || hit.row >= m.rows() || hit.row == query) __builtin_trap();
    }
  }
}

void fuzzSidecar(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  const std::string path = indexPath();
  const std::string sidecar = pl::hnswSidecarPath(path);
  pl::fuzz::writeBytes(sidecar, data, size);
  auto info = pl::readHnswIndexInfo(path);
  unlink(sidecar.c_str());
  // openNeighborSearch's sameBuild, then the load with the sidecar's size.
  if (!info || info->fingerprint != f.fingerprint || info->rows != f.matrix->rows() ||
      info->dim != f.matrix->dim || info->m != kOptions.m || info->efConstruction != kOptions.efConstruction) {
    return;
  }
  pl::fuzz::writeBytes(path, reinterpret_cast<const uint8_t*>(f.index.data()), f.index.size());
  auto loaded = pl::loadHnswIndex(f.matrix, path, info->fileBytes, kOptions.efSearch);
  unlink(path.c_str());
  if (loaded) search(**loaded);
}

void fuzzIndex(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  const std::string path = indexPath();
  pl::fuzz::writeBytes(path, data, size);
  auto loaded = pl::loadHnswIndex(f.matrix, path, static_cast<int64_t>(size), kOptions.efSearch);
  unlink(path.c_str());
  if (loaded) search(**loaded);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!pl::fuzz::seedFolder()) return 0;
  Fixture& f = fixture();
  pl::fuzz::writeSeed("index.hnsw.json", '\0' + f.sidecar);
  pl::fuzz::writeSeed("index.hnsw", '\1' + f.index);
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  if (data[0] % 2 == 0) {
    fuzzSidecar(data + 1, size - 1);
  } else {
    fuzzIndex(data + 1, size - 1);
  }
  return 0;
}
