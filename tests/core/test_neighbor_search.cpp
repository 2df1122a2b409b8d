// Neighbour search: the exact engine against brute force, HNSW recall, the
// saved index (reload, stale fingerprint, damaged file, cancel), the kNN
// graph, and free-text queries embedded by a trained run.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "embed/embed_job.h"
#include "neighbors/exact_search.h"
#include "neighbors/hnsw_index_file.h"
#include "neighbors/hnsw_search.h"
#include "neighbors/inner_product_distance.h"
#include "neighbors/neighbor_search.h"
#include "neighbors/query_encoder.h"
#include "neighbors/synthetic_clusters.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "catalog/catalog_import.h"
#include "store/product_queries.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train/pretrain_job.h"

using namespace pl;

namespace {

std::shared_ptr<EmbeddingMatrix> randomMatrix(int64_t rows, int64_t dim, uint64_t seed) {
  auto m = std::make_shared<EmbeddingMatrix>();
  m->dim = dim;
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  m->values.resize(static_cast<size_t>(rows * dim));
  for (int64_t r = 0; r < rows; ++r) {
    m->rowIds.push_back(r + 1);
    double norm = 0;
    for (int64_t d = 0; d < dim; ++d) {
      float v = normal(rng);
      m->values[static_cast<size_t>(r * dim + d)] = v;
      norm += double(v) * v;
    }
    for (int64_t d = 0; d < dim; ++d)
      m->values[static_cast<size_t>(r * dim + d)] /= float(std::sqrt(norm));
  }
  return m;
}

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

std::shared_ptr<EmbeddingMatrix> clusters(int64_t points, uint64_t seed, uint64_t drawSeed = 0) {
  SyntheticClusterSpec spec;
  spec.points = points;
  spec.dim = 64;
  spec.clusters = 50;
  spec.subspaceDim = 16;
  spec.seed = seed;
  return std::make_shared<EmbeddingMatrix>(makeSyntheticClusters(spec, nullptr, drawSeed));
}

/// Phases reported while a job ran, so a test can tell a build from a load.
struct PhaseLog {
  JobContext context;
  std::vector<std::string> phases;
  std::vector<std::string> warnings;
  PhaseLog() {
    context.setProgressSink([this](int64_t, int64_t, const std::string& phase) {
      if (phases.empty() || phases.back() != phase) phases.push_back(phase);
    });
    context.setLogSink(
        [this](LogLevel, const std::string& message) { warnings.push_back(message); });
  }
  bool built() const {
    return std::find(phases.begin(), phases.end(), "Building HNSW index") != phases.end();
  }
};

Result<std::unique_ptr<NeighborSearch>> openHnsw(Project& project,
                                                 std::shared_ptr<EmbeddingMatrix> m,
                                                 PhaseLog& log) {
  HnswOptions options;
  options.threads = 2;
  return openNeighborSearch(project, "r", NeighborMethod::Hnsw, log.context, m, options);
}

std::vector<std::vector<Neighbor>> answersFor(const NeighborSearch& search,
                                              const EmbeddingMatrix& queries) {
  return search.searchMany(queries.values.data(), queries.rows(), 10);
}

std::unique_ptr<Project> trainedToyProject(const QTemporaryDir& dir, bool whiten) {
  auto p = test::newProject(dir);
  ImportOptions o;
  o.catalogPath = test::writeFile(dir, "toy.csv", test::toyCatalogCsv(240));
  JobContext ctx;
  if (auto r = importCatalog(*p, o, ctx); !r) qFatal("%s", r.error().message.c_str());
  PretrainOptions train;
  train.runName = "toy";
  train.config = test::tinyTransformerConfig(10, 10);
  train.config.inputs = {"title"};
  train.config.whiten = whiten;
  if (auto r = runPretraining(*p, train, ctx); !r) qFatal("%s", r.error().message.c_str());
  if (auto r = computeEmbeddings(*p, "toy", ctx); !r) qFatal("%s", r.error().message.c_str());
  return p;
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

  void savedIndexReloadsWithIdenticalAnswers() {
    QTemporaryDir dir;
    auto project = test::newProject(dir);
    auto m = clusters(3000, 9);
    auto queries = clusters(100, 9, 1);
    PhaseLog first, second;
    auto built = openHnsw(*project, m, first);
    QVERIFY(built.ok());
    QVERIFY(first.built());
    const std::string path = hnswIndexPath(project->path(), "r");
    QVERIFY(std::filesystem::exists(path));
    QCOMPARE(readHnswIndexInfo(path)->fingerprint, m->fingerprint());
    auto loaded = openHnsw(*project, m, second);
    QVERIFY(loaded.ok());
    QVERIFY(!second.built());
    auto a = answersFor(**built, *queries), b = answersFor(**loaded, *queries);
    for (size_t q = 0; q < a.size(); ++q) {
      QCOMPARE(a[q].size(), b[q].size());
      for (size_t j = 0; j < a[q].size(); ++j) QCOMPARE(a[q][j].row, b[q][j].row);
    }
  }

  void changedEmbeddingsRebuildTheIndex() {
    QTemporaryDir dir;
    auto project = test::newProject(dir);
    PhaseLog first, second, third;
    QVERIFY(openHnsw(*project, clusters(2000, 10), first).ok());
    auto changed = clusters(2000, 11);  // same shape, other vectors: another fingerprint
    QVERIFY(openHnsw(*project, changed, second).ok());
    QVERIFY(second.built());
    QCOMPARE(readHnswIndexInfo(hnswIndexPath(project->path(), "r"))->fingerprint,
             changed->fingerprint());
    QVERIFY(openHnsw(*project, changed, third).ok());
    QVERIFY(!third.built());
  }

  void damagedIndexFileIsRebuiltNotCrashedOn() {
    QTemporaryDir dir;
    auto project = test::newProject(dir);
    auto m = clusters(2000, 12);
    PhaseLog first;
    QVERIFY(openHnsw(*project, m, first).ok());
    const std::string path = hnswIndexPath(project->path(), "r");
    const auto size = static_cast<int64_t>(std::filesystem::file_size(path));
    // Truncated: refused before hnswlib reads it.
    std::filesystem::resize_file(path, static_cast<uintmax_t>(size / 2));
    QVERIFY(!loadHnswIndex(m, path, size, 64).ok());
    PhaseLog second;
    auto rebuilt = openHnsw(*project, m, second);
    QVERIFY(rebuilt.ok());
    QVERIFY(second.built());
    QVERIFY(!second.warnings.empty());
    QCOMPARE(static_cast<int64_t>(std::filesystem::file_size(path)), size);
    // A foreign index (other dimension, or other vectors of the same shape) is refused.
    QVERIFY(!loadHnswIndex(randomMatrix(2000, 32, 1), path, size, 64).ok());
    QVERIFY(!loadHnswIndex(clusters(2000, 99), path, size, 64).ok());
    QVERIFY(loadHnswIndex(m, path, size, 64).ok());
    // Same size, links overwritten with garbage: refused by the graph check.
    {
      std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(kHnswHeaderBytes);
      const std::string garbage(64, '\xff');
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    auto refused = loadHnswIndex(m, path, size, 64);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.find(path) != std::string::npos);
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

  void queryEncoderReproducesStoredEmbeddings() {
    for (bool whiten : {false, true}) {
      QTemporaryDir dir;
      auto project = trainedToyProject(dir, whiten);
      auto encoder = QueryEncoder::open(*project, "toy");
      QVERIFY2(encoder.ok(), encoder.ok() ? "" : encoder.error().message.c_str());
      auto matrix = loadEmbeddingMatrix(project->db(), findRun(project->db(), "toy")->id, "toy");
      QVERIFY(matrix.ok());
      for (int64_t row : {0, 17, 239}) {
        auto product = loadProductRows(project->db(), {matrix->rowIds[size_t(row)]}).front();
        auto v = (*encoder)->encode(product.title);
        QVERIFY(v.ok());
        QCOMPARE(int64_t(v->size()), matrix->dim);
        // Unwhitened vectors agree to ~6e-8 (batch of 1 vs padded batch of 240).
        // Whitening scales the catalog's weakest axes up (240 toy products in
        // 32-d), which magnifies that rounding to ~1e-5, so it gets 1e-4.
        const float tolerance = whiten ? 1e-4f : 1e-5f;
        for (int64_t d = 0; d < matrix->dim; ++d) {
          QVERIFY2(std::abs((*v)[size_t(d)] - matrix->row(row)[d]) < tolerance,
                   product.title.c_str());
        }
      }
    }
    QTemporaryDir dir;
    auto project = test::newProject(dir);
    QVERIFY(!QueryEncoder::open(*project, "missing").ok());
  }
};

QTEST_APPLESS_MAIN(TestNeighborSearch)
#include "test_neighbor_search.moc"
