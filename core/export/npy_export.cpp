#include "export/npy_export.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "store/run_store.h"
#include "common/atomic_file.h"

namespace pl {

std::string npyBytes(const float* data, int64_t rows, int64_t cols) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
  // Magic (6) + version (2) + length (2) + header must be a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(static_cast<char>(header.size() & 0xFF));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(reinterpret_cast<const char*>(data), sizeof(float) * rows * cols);
  return out;
}

Result<NpyExportReport> exportEmbeddingsNpy(Project& project, const std::string& runName,
                                            const std::string& outDir) {
  Database& db = project.db();
  auto run = findRun(db, runName);
  if (!run) return Error{"there is no run named '" + runName + "'"};
  if (::mkdir(outDir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Error{"cannot create " + outDir + ": " + std::strerror(errno)};
  }
  std::vector<float> values;
  std::string ids;
  int64_t rows = 0, cols = -1;
  auto st = db.prepare(
      "SELECT p.ext_id, e.vector FROM embeddings e JOIN products p ON p.id = e.product_id "
      "WHERE e.run_id = ? ORDER BY p.id");
  st.bind(1, run->id);
  while (st.step()) {
    auto blob = st.blob(1);
    // A damaged row whose length is no whole number of floats would be
    // copied past the space made for it.
    if (blob.size() % sizeof(float) != 0) {
      return Error{"run '" + runName + "' has a damaged embedding (" + std::to_string(blob.size()) +
                   " bytes); re-run embed"};
    }
    int64_t d = static_cast<int64_t>(blob.size() / sizeof(float));
    if (cols < 0) cols = d;
    if (d != cols) return Error{"run '" + runName + "' has embeddings of different sizes; re-run embed"};
    size_t at = values.size();
    values.resize(at + static_cast<size_t>(d));
    std::memcpy(values.data() + at, blob.data(), blob.size());
    std::string id = st.text(0);
    for (char& c : id) {
      if (c == '\n' || c == '\r') c = ' ';  // one id per line, whatever the catalog holds
    }
    ids += id + "\n";
    ++rows;
  }
  if (rows == 0) return Error{"run '" + runName + "' has no embeddings; run 'embed' first"};
  if (Status s = writeFileAtomically(outDir + "/embeddings.npy", npyBytes(values.data(), rows, cols)); !s) {
    return s.error();
  }
  if (Status s = writeFileAtomically(outDir + "/ids.txt", ids); !s) return s.error();
  return NpyExportReport{rows, cols};
}

}  // namespace pl
