#include "embed/embedding_matrix.h"

#include <algorithm>
#include <cstring>

#include "common/sha256.h"

namespace pl {

int64_t EmbeddingMatrix::indexOf(int64_t rowId) const {
  auto it = std::lower_bound(rowIds.begin(), rowIds.end(), rowId);
  if (it == rowIds.end() || *it != rowId) return -1;
  return static_cast<int64_t>(it - rowIds.begin());
}

std::string EmbeddingMatrix::fingerprint() const {
  // Hashing 512 MB for a 1M-row matrix would cost seconds; ids, shape and a
  // strided sample of rows tell stored embeddings apart just as well.
  Sha256 hash;
  hash.update(&dim, sizeof dim);
  hash.update(rowIds.data(), rowIds.size() * sizeof(int64_t));
  int64_t n = rows();
  int64_t stride = std::max<int64_t>(1, n / 4096);
  for (int64_t i = 0; i < n; i += stride) {
    hash.update(row(i), static_cast<size_t>(dim) * sizeof(float));
  }
  return hash.hexDigest().substr(0, 16);
}

Result<EmbeddingMatrix> loadEmbeddingMatrix(Database& db, int64_t runId,
                                            const std::string& runName) {
  EmbeddingMatrix m;
  auto counter = db.prepare("SELECT COUNT(*) FROM embeddings WHERE run_id = ?");
  counter.bind(1, runId);
  int64_t count = counter.step() ? counter.int64(0) : 0;
  if (count == 0) return Error{"run '" + runName + "' has no embeddings; run 'embed' first"};
  m.rowIds.reserve(static_cast<size_t>(count));
  auto st = db.prepare("SELECT product_id, vector FROM embeddings WHERE run_id = ? ORDER BY product_id");
  st.bind(1, runId);
  while (st.step()) {
    auto blob = st.blob(1);
    // A blob that is no whole number of floats is damage (or a crafted
    // file): copying its bytes would write past the row it was given.
    if (blob.size() % sizeof(float) != 0) {
      return Error{"run '" + runName + "' has a damaged embedding (product row " +
                   std::to_string(st.int64(0)) + ": " + std::to_string(blob.size()) +
                   " bytes, not a whole number of floats); run 'embed' again"};
    }
    auto d = static_cast<int64_t>(blob.size() / sizeof(float));
    if (m.dim == 0) {
      m.dim = d;
      m.values.reserve(static_cast<size_t>(count * d));
    }
    if (d != m.dim || d == 0) {
      return Error{"run '" + runName + "' has embeddings of different sizes; run 'embed' again"};
    }
    m.rowIds.push_back(st.int64(0));
    size_t at = m.values.size();
    m.values.resize(at + static_cast<size_t>(d));
    std::memcpy(m.values.data() + at, blob.data(), static_cast<size_t>(d) * sizeof(float));
  }
  return m;
}

}  // namespace pl
