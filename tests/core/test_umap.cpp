// LibTorch first (via projection.h's neighbours): Qt's `slots` macro would break its headers.
#include "projection/umap.h"

#include <QtTest>

#include "core/projection_fixtures.h"
#include "projection/pca.h"
#include "projection/projection_quality.h"
#include "projection/umap_curve.h"
#include "projection/umap_fuzzy_set.h"

using namespace pl;

class TestUmap : public QObject {
  Q_OBJECT
 private slots:
  void curveMatchesUmapLearn() {
    // umap-learn's find_ab_params(1.0, 0.1) = (1.5769, 0.8951); (1.0, 0.5) = (0.5830, 1.3341).
    auto c = fitUmapCurve(0.1);
    QVERIFY2(std::abs(c.a - 1.577) < 0.01 && std::abs(c.b - 0.895) < 0.005,
             qPrintable(QString("%1 %2").arg(c.a).arg(c.b)));
    auto wide = fitUmapCurve(0.5);
    QVERIFY2(std::abs(wide.a - 0.583) < 0.01 && std::abs(wide.b - 1.334) < 0.01,
             qPrintable(QString("%1 %2").arg(wide.a).arg(wide.b)));
  }

  void membershipsAreFuzzyAndSymmetric() {
    auto blobs = test::makeBlobs(3, 50, 8);
    auto graph = test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 14);
    JobContext context;
    auto fuzzy = umapFuzzySet(graph, 2, context);
    QVERIFY(fuzzy);
    // Symmetric, weights in (0, 1], each point's nearest neighbour at 1.
    for (int64_t i = 0; i < fuzzy->rows; ++i) {
      double largest = 0;
      for (int64_t e = fuzzy->rowStart[i]; e < fuzzy->rowStart[i + 1]; ++e) {
        QVERIFY(fuzzy->values[e] > 0 && fuzzy->values[e] <= 1 + 1e-12);
        largest = std::max(largest, fuzzy->values[e]);
      }
      QVERIFY(largest > 1 - 1e-9);
    }
  }

  void separatesBlobsAndKeepsNeighbours() {
    auto blobs = test::makeBlobs(5, 200, 20);
    auto graph = test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 14);
    ProjectionOptions options;
    options.method = ProjectionMethod::Umap;
    options.threads = 2;
    JobContext context;
    auto start = computePca(blobs.values.data(), blobs.n, blobs.dim, 2).coordinates;
    auto layout = umapLayout(graph, start, options, context);
    QVERIFY(layout);
    double t = trustworthiness(blobs.values.data(), blobs.n, blobs.dim, layout->xy.data(), 10);
    QVERIFY2(t >= 0.9, qPrintable(QString::number(t)));
    QVERIFY(test::blobsSeparated(layout->xy, blobs.labels, 5));
  }

  void oneThreadIsDeterministicAndAStopCancels() {
    auto blobs = test::makeBlobs(3, 60, 8);
    auto graph = test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 14);
    auto start = computePca(blobs.values.data(), blobs.n, blobs.dim, 2).coordinates;
    ProjectionOptions options;
    options.threads = 1;
    options.umapEpochs = 100;
    JobContext a, b, stopped;
    auto first = umapLayout(graph, start, options, a);
    auto second = umapLayout(graph, start, options, b);
    QVERIFY(first && second);
    QCOMPARE(first->xy, second->xy);
    options.seed = 43;
    auto other = umapLayout(graph, start, options, a);
    QVERIFY(other && other->xy != first->xy);
    stopped.setProgressInterval(std::chrono::milliseconds(0));
    stopped.setProgressSink([&](int64_t done, int64_t, const std::string& phase) {
      if (phase == "Optimising layout" && done == 10) stopped.requestStop();
    });
    auto cancelled = umapLayout(graph, start, options, stopped);
    QVERIFY(!cancelled);
    QCOMPARE(QString::fromStdString(cancelled.error().message), QString("projection cancelled"));
  }
};

QTEST_APPLESS_MAIN(TestUmap)
#include "test_umap.moc"
