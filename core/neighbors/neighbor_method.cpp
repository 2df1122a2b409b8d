#include "neighbors/neighbor_search.h"

namespace pl {

Result<NeighborMethod> parseNeighborMethod(const std::string& name) {
  if (name == "auto") return NeighborMethod::Auto;
  if (name == "exact") return NeighborMethod::Exact;
  if (name == "hnsw") return NeighborMethod::Hnsw;
  return Error{"unknown neighbour search method '" + name + "' (use auto, exact or hnsw)"};
}

std::string neighborMethodName(NeighborMethod method) {
  switch (method) {
    case NeighborMethod::Auto:
      return "auto";
    case NeighborMethod::Exact:
      return "exact";
    case NeighborMethod::Hnsw:
      return "hnsw";
  }
  return "auto";
}

NeighborMethod resolveNeighborMethod(NeighborMethod method, int64_t rows) {
  if (method != NeighborMethod::Auto) return method;
  // Below the limit a blocked matrix product answers in milliseconds and is
  // exact; above it the HNSW build pays for itself.
  return rows < kExactSearchLimit ? NeighborMethod::Exact : NeighborMethod::Hnsw;
}

std::vector<std::vector<Neighbor>> NeighborSearch::searchManyExcluding(
    const float* queries, int64_t count, int k, const int64_t* excludeRows) const {
  const int64_t dim = matrix().dim;
  std::vector<std::vector<Neighbor>> results(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    results[static_cast<size_t>(i)] =
        search(queries + i * dim, k, excludeRows ? excludeRows[i] : -1);
  }
  return results;
}

}  // namespace pl
