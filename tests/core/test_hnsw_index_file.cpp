// The saved HNSW index of a run: reload gives the same answers, changed
// embeddings rebuild it, damaged or foreign files are refused, never crashed on.
#include "neighbor_fixtures.h"
#include "neighbors/hnsw_index_file.h"
#include "neighbors/hnsw_search.h"

#include <QtTest>
#include <chrono>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "test_support.h"

using namespace pl;
using test::answersFor;
using test::clusters;
using test::randomMatrix;

namespace {

/// Phases reported while a job ran, so a test can tell a build from a load.
struct PhaseLog {
  JobContext context;
  std::vector<std::string> phases;
  std::vector<std::string> warnings;
  PhaseLog() {
    // Every report, not one per 50 ms: the throttle could drop a fast
    // build's phase when the phase before it was reported just earlier.
    context.setProgressInterval(std::chrono::milliseconds(0));
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

}  // namespace

class TestHnswIndexFile : public QObject {
  Q_OBJECT
 private slots:
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
    // A build on two threads links nodes in arrival order, so the rebuilt
    // file may hold a few links more or fewer than the first one: its
    // sidecar records its own size (a fixed expectation was a flake).
    const int64_t rebuiltSize = static_cast<int64_t>(std::filesystem::file_size(path));
    QCOMPARE(readHnswIndexInfo(path)->fileBytes, rebuiltSize);
    QVERIFY(rebuiltSize > size / 2);
    // A foreign index (other dimension, or other vectors of the same shape) is refused.
    QVERIFY(!loadHnswIndex(randomMatrix(2000, 32, 1), path, rebuiltSize, 64).ok());
    QVERIFY(!loadHnswIndex(clusters(2000, 99), path, rebuiltSize, 64).ok());
    QVERIFY(loadHnswIndex(m, path, rebuiltSize, 64).ok());
    // Same size, links overwritten with garbage: refused by the graph check.
    {
      std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(kHnswHeaderBytes);
      const std::string garbage(64, '\xff');
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    auto refused = loadHnswIndex(m, path, rebuiltSize, 64);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.find(path) != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestHnswIndexFile)
#include "test_hnsw_index_file.moc"
