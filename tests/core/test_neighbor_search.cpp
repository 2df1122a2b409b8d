// Neighbour search: the exact engine against brute force, HNSW recall and
// cancel, the kNN graph of both engines, the AVX2 distance kernel.
#include "neighbor_fixtures.h"
#include "neighbors/exact_search.h"
#include "neighbors/inner_product_distance.h"
#include "neighbors/quantised_scan.h"

#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace pl;
using test::answersFor;
using test::clusters;
using test::randomMatrix;

namespace {

/// Top-k by brute force in double precision: the reference every engine is held to.
std::vector<Neighbor> bruteForce(const EmbeddingMatrix& m, const float* query, int k,
                                 int64_t exclude = -1) {
  std::vector<std::pair<double, int64_t>> all;
  for (int64_t r = 0; r < m.rows(); ++r) {
    if (r == exclude) continue;
    double dot = 0;
    for (int64_t d = 0; d < m.dim; ++d) dot += double(query[d]) * m.row(r)[d];
    all.emplace_back(-dot, r);
  }
  std::sort(all.begin(), all.end());
  std::vector<Neighbor> top;
  for (size_t i = 0; i < all.size() && i < size_t(k); ++i)
    top.push_back({all[i].second, float(-all[i].first)});
  return top;
}

void expectSame(const std::vector<Neighbor>& got, const std::vector<Neighbor>& want) {
  QCOMPARE(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    QCOMPARE(got[i].row, want[i].row);
    QVERIFY(std::abs(got[i].similarity - want[i].similarity) < 1e-5f);
  }
}

double recallAt(const std::vector<std::vector<Neighbor>>& got,
                const std::vector<std::vector<Neighbor>>& truth) {
  int64_t hit = 0, total = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    for (const auto& t : truth[q]) {
      ++total;
      for (const auto& g : got[q]) hit += g.row == t.row ? 1 : 0;
    }
  }
  return total ? double(hit) / double(total) : 1.0;
}

}  // namespace

class TestNeighborSearch : public QObject {
  Q_OBJECT
 private slots:
  void parsesMethodNames() {
    for (auto m : {NeighborMethod::Auto, NeighborMethod::Exact, NeighborMethod::Hnsw}) {
      QCOMPARE(*parseNeighborMethod(neighborMethodName(m)), m);
    }
    QVERIFY(!parseNeighborMethod("annoy").ok());
    QCOMPARE(resolveNeighborMethod(NeighborMethod::Auto, 1000), NeighborMethod::Exact);
    QCOMPARE(resolveNeighborMethod(NeighborMethod::Auto, kExactSearchLimit), NeighborMethod::Hnsw);
    QCOMPARE(resolveNeighborMethod(NeighborMethod::Hnsw, 10), NeighborMethod::Hnsw);
  }

  void exactMatchesBruteForceInSmallBlocks() {
    auto m = randomMatrix(700, 24, 1);
    auto queries = randomMatrix(37, 24, 2);
    ExactSearchOptions tiny;
    tiny.scoreBlockBytes = 37 * 50 * 4;  // ~50 rows per block: 14 blocks to merge
    tiny.maxQueryBlock = 8;              // and 5 query blocks
    std::vector<std::unique_ptr<NeighborSearch>> engines;
    engines.push_back(makeExactSearch(m));
    engines.push_back(makeExactSearch(m, tiny));
    for (const auto& search : engines) {
      QCOMPARE(search->method(), NeighborMethod::Exact);
      auto many = search->searchMany(queries->values.data(), queries->rows(), 10);
      QCOMPARE(int64_t(many.size()), queries->rows());
      for (int64_t q = 0; q < queries->rows(); ++q) {
        auto want = bruteForce(*m, queries->row(q), 10);
        expectSame(many[size_t(q)], want);
        expectSame(search->search(queries->row(q), 10), want);
      }
    }
  }

  void exactLeavesOutTheExcludedRow() {
    auto m = randomMatrix(300, 16, 3);
    ExactSearchOptions tiny;
    tiny.scoreBlockBytes = 64 * 4;
    auto search = makeExactSearch(m, tiny);
    for (int64_t r : {0, 57, 299}) {
      auto hits = search->search(m->row(r), 5, r);
      expectSame(hits, bruteForce(*m, m->row(r), 5, r));
      for (const auto& h : hits) QVERIFY(h.row != r);
    }
  }

  // The int8 scan must give the exact answer, not a close one: on clustered
  // vectors (many near ties, the hard case for its bound) and on random ones,
  // with and without an excluded row, on one and on several workers.
  void quantisedScanIsExact() {
    for (auto m : {clusters(6000, 11), randomMatrix(5000, 40, 12)}) {
      const QuantisedRows codes = quantiseRows(m->values.data(), m->rows(), m->dim);
      QCOMPARE(codes.stride % 32, int64_t(0));
      auto queries = m->dim == 64 ? clusters(60, 11, 99) : randomMatrix(60, 40, 13);
      int64_t rescored = 0;
      for (int64_t q = 0; q < queries->rows(); ++q) {
        for (int threads : {1, 3}) {
          BoundedScanStats stats;
          expectSame(boundedScanTopK(codes, m->values.data(), queries->row(q), 10, -1, threads, &stats),
                     bruteForce(*m, queries->row(q), 10));
          rescored += stats.candidates;
        }
        const int64_t self = q * 37;
        expectSame(boundedScanTopK(codes, m->values.data(), m->row(self), 7, self, 1),
                   bruteForce(*m, m->row(self), 7, self));
      }
      // The bound is what makes it fast: only a small share is re-scored.
      QVERIFY2(rescored < queries->rows() * 2 * m->rows() / 10, qPrintable(QString::number(rescored)));
    }
  }

  void quantisedScanBoundsEveryRow() {
    auto m = randomMatrix(500, 24, 14);
    const QuantisedRows codes = quantiseRows(m->values.data(), m->rows(), m->dim);
    for (int64_t r = 0; r < m->rows(); ++r) {
      double error = 0;
      for (int64_t d = 0; d < m->dim; ++d) {
        const double e = m->row(r)[d] - double(codes.scales[size_t(r)]) * codes.codes[size_t(r * codes.stride + d)];
        error += e * e;
        QVERIFY(std::abs(e) <= codes.scales[size_t(r)] * 0.5 + 1e-7);
      }
      QVERIFY(std::abs(std::sqrt(error) - codes.errorNorms[size_t(r)]) < 1e-6);
    }
  }

  void exactEngineUsesTheScanForFewQueries() {
    auto m = clusters(3000, 15);
    auto queries = clusters(9, 15, 7);
    ExactSearchOptions scan;
    scan.quantisedScanMinRows = 1000;
    auto search = makeExactSearch(m, scan);
    QCOMPARE(search->indexBytes(), int64_t(0));
    for (int64_t q = 0; q < queries->rows(); ++q) {
      expectSame(search->search(queries->row(q), 10), bruteForce(*m, queries->row(q), 10));
    }
    QVERIFY(search->indexBytes() >= m->rows() * 64);  // the int8 copy now exists
    // A zero query cannot be bounded: the blocked product answers it.
    std::vector<float> zero(64, 0.0f);
    QCOMPARE(search->search(zero.data(), 10).size(), size_t(10));
    auto many = search->searchMany(queries->values.data(), queries->rows(), 10);
    for (int64_t q = 0; q < queries->rows(); ++q) expectSame(many[size_t(q)], bruteForce(*m, queries->row(q), 10));
  }

  void exactWithKAboveRowsReturnsEveryOtherRow() {
    auto m = randomMatrix(6, 8, 4);
    auto search = makeExactSearch(m);
    expectSame(search->search(m->row(2), 50), bruteForce(*m, m->row(2), 50));
    auto rest = search->search(m->row(2), 50, 2);
    QCOMPARE(rest.size(), size_t(5));
    expectSame(rest, bruteForce(*m, m->row(2), 50, 2));
    QVERIFY(search->search(m->row(2), 0).empty());
  }

  void knnGraphMatchesBruteForce() {
    auto m = randomMatrix(1500, 12, 5);  // two blocks of 1024 rows
    JobContext context;
    int64_t lastDone = -1, lastTotal = -1;
    context.setProgressSink([&](int64_t d, int64_t t, const std::string&) {
      lastDone = d;
      lastTotal = t;
    });
    auto graph = buildKnnGraph(*makeExactSearch(m), 7, context);
    QVERIFY(graph.ok());
    QCOMPARE(graph->rows, int64_t(1500));
    QCOMPARE(graph->k, 7);
    QCOMPARE(lastDone, lastTotal);
    for (int64_t r = 0; r < m->rows(); r += 13) {
      auto want = bruteForce(*m, m->row(r), 7, r);
      for (int j = 0; j < 7; ++j) {
        QCOMPARE(int64_t(graph->indices[size_t(r * 7 + j)]), want[size_t(j)].row);
        QVERIFY(std::abs(graph->distances[size_t(r * 7 + j)] - (1 - want[size_t(j)].similarity)) <
                1e-5f);
      }
    }
  }

  void knnGraphStopsWhenAsked() {
    auto m = randomMatrix(3000, 8, 6);
    JobContext context;
    context.requestStop();
    QVERIFY(!buildKnnGraph(*makeExactSearch(m), 5, context).ok());
  }

  void fastDistanceMatchesTheDotProduct() {
    auto distance = fastInnerProductDistance();
    if (!distance) QSKIP("this CPU has no AVX2/FMA; hnswlib's own kernel is used");
    for (size_t dim : {size_t(128), size_t(100), size_t(7)}) {
      auto m = randomMatrix(2, int64_t(dim), dim);
      double dot = 0;
      for (size_t d = 0; d < dim; ++d) dot += double(m->row(0)[d]) * m->row(1)[d];
      QVERIFY(std::abs(distance(m->row(0), m->row(1), &dim) - (1 - dot)) < 1e-6);
    }
  }

  void hnswRecallAgainstExactOnClusters() {
    auto m = clusters(5000, 7);
    auto queries = clusters(200, 7, /*drawSeed=*/1);
    JobContext context;
    HnswOptions options;
    options.threads = 2;
    auto hnsw = buildHnswSearch(m, options, context);
    QVERIFY(hnsw.ok());
    QCOMPARE((*hnsw)->method(), NeighborMethod::Hnsw);
    QVERIFY((*hnsw)->indexBytes() > m->rows() * m->dim * 4);
    double recall =
        recallAt(answersFor(**hnsw, *queries), answersFor(*makeExactSearch(m), *queries));
    QVERIFY2(recall >= 0.95, qPrintable(QString::number(recall)));
    // excludeRow and k above efSearch (the beam is raised to k).
    auto hits = (*hnsw)->search(m->row(42), 100, 42);
    QCOMPARE(hits.size(), size_t(100));
    for (const auto& h : hits) QVERIFY(h.row != 42);
    QVERIFY(std::is_sorted(hits.begin(), hits.end(), [](const Neighbor& a, const Neighbor& b) {
      return a.similarity > b.similarity;
    }));
  }

  void hnswBuildStopsWhenAsked() {
    auto m = clusters(5000, 8);
    JobContext context;
    context.setProgressSink([&](int64_t, int64_t, const std::string&) { context.requestStop(); });
    HnswOptions options;
    options.threads = 2;
    auto hnsw = buildHnswSearch(m, options, context);
    QVERIFY(!hnsw.ok());
    QVERIFY(hnsw.error().message.find("cancelled") != std::string::npos);
  }

  void hnswKnnGraphIsCloseToBruteForce() {
    auto m = clusters(2000, 13);
    JobContext context;
    HnswOptions options;
    options.threads = 2;
    auto hnsw = buildHnswSearch(m, options, context);
    QVERIFY(hnsw.ok());
    auto graph = buildKnnGraph(**hnsw, 10, context);
    QVERIFY(graph.ok());
    auto exactGraph = buildKnnGraph(*makeExactSearch(m), 10, context);
    QVERIFY(exactGraph.ok());
    int64_t same = 0;
    for (int64_t r = 0; r < graph->rows; ++r) {
      for (int j = 0; j < 10; ++j) {
        const int32_t got = graph->indices[size_t(r * 10 + j)];
        QVERIFY(got != r);
        const auto* row = &exactGraph->indices[size_t(r * 10)];
        same += std::count(row, row + 10, got);
      }
    }
    QVERIFY(double(same) / double(graph->rows * 10) >= 0.95);
  }
};

QTEST_APPLESS_MAIN(TestNeighborSearch)
#include "test_neighbor_search.moc"
