// LibTorch first (via projection.h's neighbours): Qt's `slots` macro would break its headers.
#include "projection/tsne.h"

#include <QtTest>
#include <any>

#include "core/projection_fixtures.h"
#include "projection/pca.h"
#include "projection/projection_quality.h"
#include "projection/tsne_affinities.h"
#include "projection/tsne_gradient.h"
#include "projection/tsne_interpolation.h"

using namespace pl;

namespace {

std::vector<float> pcaStart(const test::Blobs& b) { return computePca(b.values.data(), b.n, b.dim, 2).coordinates; }

}  // namespace

class TestTsne : public QObject {
  Q_OBJECT
 private slots:
  void affinitiesAreSymmetricAndSumToOne() {
    auto blobs = test::makeBlobs(3, 40, 8);
    JobContext context;
    auto p = tsneAffinities(test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 30), 10, 2, context);
    QVERIFY(p);
    double total = 0;
    for (double v : p->values) total += v;
    QVERIFY(std::abs(total - 1) < 1e-9);
    for (int64_t i = 0; i < p->rows; ++i) {
      for (int64_t e = p->rowStart[i]; e < p->rowStart[i + 1]; ++e) {
        int64_t j = p->columns[e];
        auto first = p->columns.begin() + p->rowStart[j], last = p->columns.begin() + p->rowStart[j + 1];
        auto it = std::lower_bound(first, last, static_cast<int32_t>(i));
        QVERIFY(it != last && *it == i);
        QCOMPARE(p->values[it - p->columns.begin()], p->values[e]);
      }
    }
  }

  void barnesHutWithThetaZeroIsTheExactGradient() {
    auto blobs = test::makeBlobs(4, 50, 10);
    JobContext context;
    auto p = tsneAffinities(test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 30), 10, 1, context);
    QVERIFY(p);
    std::mt19937 rng(3);
    std::normal_distribution<double> normal(0, 5);
    std::vector<double> xy(static_cast<size_t>(2 * blobs.n));
    for (double& v : xy) v = normal(rng);
    std::vector<double> exact, approx, rough;
    double zExact = exactTsneGradient(*p, xy, 12, exact);
    QuadTree tree;
    double z = tsneGradient(*p, xy, 12, 0.0, 2, tree, approx);
    QVERIFY(std::abs(z - zExact) < 1e-9 * zExact);
    double largest = 0, error = 0;
    for (size_t c = 0; c < exact.size(); ++c) {
      largest = std::max(largest, std::abs(exact[c]));
      error = std::max(error, std::abs(exact[c] - approx[c]));
    }
    QVERIFY2(error < 1e-10 * largest, qPrintable(QString::number(error / largest)));
    // theta 0.5 approximates: close to exact, but not equal.
    tsneGradient(*p, xy, 12, 0.5, 2, tree, rough);
    double roughError = 0;
    for (size_t c = 0; c < exact.size(); ++c) roughError = std::max(roughError, std::abs(exact[c] - rough[c]));
    QVERIFY2(roughError < 0.05 * largest, qPrintable(QString::number(roughError / largest)));
  }

  void interpolatedRepulsionMatchesTheExactGradient() {
    auto blobs = test::makeBlobs(4, 100, 10);
    JobContext context;
    auto p = tsneAffinities(test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 30), 10, 1, context);
    QVERIFY(p);
    // The start of a run, a map mid-way, and a sparse one with a grid 4x finer
    // than the default: the error falls as the box width cubed (3 nodes per box).
    const double spreads[] = {1e-3, 5.0, 10.0};
    const double boxWidths[] = {1.0, 1.0, 0.25};
    const double tolerances[] = {1e-2, 1e-2, 2e-3};
    for (int c = 0; c < 3; ++c) {
      std::mt19937 rng(4);
      std::normal_distribution<double> normal(0, spreads[c]);
      std::vector<double> xy(static_cast<size_t>(2 * blobs.n));
      for (double& v : xy) v = normal(rng);
      std::vector<double> exact, repulsive;
      double zExact = exactTsneGradient(*p, xy, 0, exact);  // no attraction: -repulsion / Z
      InterpolationGrid grid;
      grid.boxWidth = boxWidths[c];
      double z = interpolatedRepulsion(xy, 2, repulsive, grid);
      QVERIFY2(std::abs(z - zExact) < tolerances[c] * zExact, qPrintable(QString("%1 vs %2").arg(z).arg(zExact)));
      double norm = 0, error = 0;
      for (size_t k = 0; k < exact.size(); ++k) {
        double e = -exact[k] * zExact;
        norm += e * e;
        error += (e - repulsive[k]) * (e - repulsive[k]);
      }
      QVERIFY2(std::sqrt(error / norm) < tolerances[c], qPrintable(QString::number(std::sqrt(error / norm))));
    }
    // And the whole gradient through the optimiser's entry point.
    std::vector<double> xy(static_cast<size_t>(2 * blobs.n), 0.0), exact, interpolated;
    std::mt19937 rng(5);
    std::normal_distribution<double> normal(0, 3);
    for (double& v : xy) v = normal(rng);
    double zExact = exactTsneGradient(*p, xy, 12, exact);
    double z = tsneGradientInterpolated(*p, xy, 12, 2, interpolated);
    QVERIFY(std::abs(z - zExact) < 1e-2 * zExact);
    double norm = 0, error = 0;
    for (size_t k = 0; k < exact.size(); ++k) {
      norm += exact[k] * exact[k];
      error += (exact[k] - interpolated[k]) * (exact[k] - interpolated[k]);
    }
    QVERIFY2(std::sqrt(error / norm) < 1e-2, qPrintable(QString::number(std::sqrt(error / norm))));
  }

  void duplicatePointsKeepTheTreeFinite() {
    std::vector<double> xy = {1, 1, 1, 1, 1, 1, 2, 2};
    QuadTree tree;
    tree.build(xy.data(), 4);
    Repulsion r = tree.repulsion(0, 1, 1, 0.0);
    QVERIFY(std::isfinite(r.forceX) && std::isfinite(r.sumQ));
    QVERIFY(std::abs(r.sumQ - (2 + 1.0 / 3)) < 1e-12);  // two duplicates at q = 1, one at d^2 = 2
    // The same for the duplicates themselves: none counts itself (Z would grow by one per copy).
    for (int64_t self : {1, 2}) {
      QVERIFY(std::abs(tree.repulsion(self, 1, 1, 0.0).sumQ - (2 + 1.0 / 3)) < 1e-12);
    }
    QCOMPARE(tree.depthFirstOrder().size(), size_t{4});
  }

  void separatesBlobsAndKeepsNeighbours() {
    auto blobs = test::makeBlobs(5, 200, 20);
    ProjectionOptions options;
    options.method = ProjectionMethod::Tsne;
    options.threads = 2;
    JobContext context;
    int snapshots = 0;
    context.setPartialSink([&](const std::any& partial) {
      auto s = std::any_cast<std::shared_ptr<const ProjectionSnapshot>>(partial);
      QCOMPARE(s->xy.size(), size_t{2000});
      QCOMPARE(s->iterations, 750);
      ++snapshots;
    });
    auto graph = test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, tsneNeighborCount(blobs.n, 30));
    auto layout = tsneLayout(graph, pcaStart(blobs), options, context);
    QVERIFY(layout);
    QVERIFY(snapshots >= 1);
    double t = trustworthiness(blobs.values.data(), blobs.n, blobs.dim, layout->xy.data(), 10);
    QVERIFY2(t >= 0.9, qPrintable(QString::number(t)));
    QVERIFY(test::blobsSeparated(layout->xy, blobs.labels, 5));
  }

  void interpolationSeparatesBlobsToo() {
    auto blobs = test::makeBlobs(5, 200, 20);
    ProjectionOptions options;
    options.tsneRepulsion = TsneRepulsion::Interpolation;
    options.threads = 2;
    JobContext context;
    auto graph = test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, tsneNeighborCount(blobs.n, 30));
    auto layout = tsneLayout(graph, pcaStart(blobs), options, context);
    QVERIFY(layout);
    double t = trustworthiness(blobs.values.data(), blobs.n, blobs.dim, layout->xy.data(), 10);
    QVERIFY2(t >= 0.9, qPrintable(QString::number(t)));
    QVERIFY(test::blobsSeparated(layout->xy, blobs.labels, 5));
  }

  void oneThreadIsDeterministicAndAStopCancels() {
    auto blobs = test::makeBlobs(3, 60, 8);
    auto graph = test::bruteForceGraph(blobs.values, blobs.n, blobs.dim, 45);
    ProjectionOptions options;
    options.threads = 1;
    options.tsneIterations = 120;
    JobContext a, b, stopped;
    auto first = tsneLayout(graph, pcaStart(blobs), options, a);
    auto second = tsneLayout(graph, pcaStart(blobs), options, b);
    QVERIFY(first && second);
    QCOMPARE(first->xy, second->xy);
    stopped.setProgressInterval(std::chrono::milliseconds(0));
    stopped.setProgressSink([&](int64_t done, int64_t, const std::string& phase) {
      if (phase == "Optimising layout" && done == 10) stopped.requestStop();
    });
    auto cancelled = tsneLayout(graph, pcaStart(blobs), options, stopped);
    QVERIFY(!cancelled);
    QCOMPARE(QString::fromStdString(cancelled.error().message), QString("projection cancelled"));
  }
};

QTEST_APPLESS_MAIN(TestTsne)
#include "test_tsne.moc"
