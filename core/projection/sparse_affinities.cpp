#include "projection/sparse_affinities.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "projection/parallel_for.h"

namespace pl {

namespace {

// Both directions of every edge, bucketed by row (a counting sort: 18M
// entries for 100k points at k = 90 sort in a fraction of a general sort's
// time), each row then sorted by column so the pairs sit side by side.
struct Entry {
  int32_t column;
  double forward;   // w_ij, 0 if the edge was only stored as j -> i
  double backward;  // w_ji
};

template <typename Combine>
SparseAffinities build(int64_t rows, const WeightedEdges& edges, const Combine& combine) {
  std::vector<int64_t> start(static_cast<size_t>(rows + 1), 0);
  // A kNN graph marks missing neighbours with -1 (an HNSW search can come
  // back short); such slots are no edge at all.
  auto missing = [&](size_t e) { return edges.from[e] < 0 || edges.to[e] < 0; };
  for (size_t e = 0; e < edges.from.size(); ++e) {
    if (missing(e)) continue;
    ++start[static_cast<size_t>(edges.from[e]) + 1];
    ++start[static_cast<size_t>(edges.to[e]) + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<Entry> entries(static_cast<size_t>(start.back()));
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  for (size_t e = 0; e < edges.from.size(); ++e) {
    if (missing(e)) continue;
    const int32_t i = edges.from[e], j = edges.to[e];
    entries[static_cast<size_t>(fill[static_cast<size_t>(i)]++)] = {j, edges.weight[e], 0.0};
    entries[static_cast<size_t>(fill[static_cast<size_t>(j)]++)] = {i, 0.0, edges.weight[e]};
  }
  SparseAffinities out;
  out.rows = rows;
  out.rowStart.assign(static_cast<size_t>(rows + 1), 0);
  out.columns.reserve(entries.size() / 2 + 1);
  out.values.reserve(entries.size() / 2 + 1);
  for (int64_t i = 0; i < rows; ++i) {
    auto first = entries.begin() + start[static_cast<size_t>(i)];
    auto last = entries.begin() + start[static_cast<size_t>(i) + 1];
    std::sort(first, last, [](const Entry& a, const Entry& b) { return a.column < b.column; });
    for (auto it = first; it != last;) {
      double forward = 0, backward = 0;
      const int32_t column = it->column;
      for (; it != last && it->column == column; ++it) {
        forward = std::max(forward, it->forward);
        backward = std::max(backward, it->backward);
      }
      double w = combine(forward, backward);
      if (w > 0 && column != i) {
        out.columns.push_back(column);
        out.values.push_back(w);
      }
    }
    out.rowStart[static_cast<size_t>(i) + 1] = static_cast<int64_t>(out.columns.size());
  }
  return out;
}

}  // namespace

SparseAffinities symmetriseBySum(int64_t rows, const WeightedEdges& edges) {
  return build(rows, edges, [](double a, double b) { return a + b; });
}

SparseAffinities symmetriseByFuzzyUnion(int64_t rows, const WeightedEdges& edges) {
  return build(rows, edges, [](double a, double b) { return a + b - a * b; });
}

Result<WeightedEdges> weighKnnEdges(const KnnGraph& graph, int threads, JobContext& context,
                                    const RowWeights& weighRow) {
  const int64_t n = graph.rows;
  const int k = graph.k;
  WeightedEdges edges;
  edges.from.resize(static_cast<size_t>(n * k));
  edges.to.assign(graph.indices.begin(), graph.indices.end());
  edges.weight.resize(static_cast<size_t>(n * k));
  const std::string phase = "Computing similarities";
  const int64_t blocks = std::max<int64_t>(1, std::min<int64_t>(100, n / 1000));
  for (int64_t b = 0; b < blocks; ++b) {
    if (context.stopRequested()) return Error{"projection cancelled"};
    context.progress(b, blocks, phase);
    const int64_t begin = n * b / blocks, end = n * (b + 1) / blocks;
    parallelFor(end - begin, threads, [&](int64_t lo, int64_t hi, int) {
      for (int64_t i = begin + lo; i < begin + hi; ++i) {
        weighRow(graph.distances.data() + i * k, k, edges.weight.data() + i * k);
        std::fill_n(edges.from.begin() + i * k, k, static_cast<int32_t>(i));
      }
    });
  }
  context.progress(blocks, blocks, phase);
  return edges;
}

}  // namespace pl
