// The map view: a click hits the point under the mouse, Shift + drag selects
// a rectangle, hover and selection repaint only their layer, hidden points
// are neither drawn nor hit, and the cloud is drawn straight into pixels
// (its draw time at 100k and 1M points is printed, never asserted).

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>
#include <random>

#include "tests/ui/ui_fixture.h"
#include "ui/explore/map_view.h"
#include "ui/explore/point_colours.h"

using namespace pl::ui;

namespace {

/// `count` points in 12 Gaussian clusters, coloured by cluster.
PointCoordinates clusters(int count, std::vector<uint16_t>* cluster = nullptr) {
  std::mt19937 rng(7);
  std::normal_distribution<float> spread(0, 1);
  auto xy = std::make_shared<std::vector<float>>(2 * size_t(count));
  if (cluster) cluster->resize(count);
  for (int i = 0; i < count; ++i) {
    int c = i % 12;
    (*xy)[2 * i] = 10 * std::cos(c * 0.52f) + spread(rng);
    (*xy)[2 * i + 1] = 10 * std::sin(c * 0.52f) + spread(rng);
    if (cluster) (*cluster)[i] = uint16_t(c);
  }
  return xy;
}

std::vector<QRgb> palette12() {
  const auto& all = categoricalPalette();
  return std::vector<QRgb>(all.begin(), all.begin() + 12);
}

}  // namespace

class MapViewTest : public QObject {
  Q_OBJECT

 private slots:
  void clickHitsThePointUnderTheMouse() {
    MapView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPoints(clusters(2000), true);
    view.replot(QCustomPlot::rpImmediateRefresh);
    QSignalSpy clicked(&view, &MapView::pointClicked);
    const int32_t target = 1234;
    QPoint at = view.pixelOf(target).toPoint();
    QVERIFY(view.rect().contains(at));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(clicked.count(), 1);
    int32_t hit = clicked.first().at(0).value<int32_t>();
    // Another point may sit on the same pixel; it must be as close.
    QVERIFY(QLineF(view.pixelOf(hit), at).length() <= QLineF(view.pixelOf(target), at).length() + 1e-9);
    // Far outside the cloud: empty space.
    view.xAxis->setRange(1000, 1010);
    view.replot(QCustomPlot::rpImmediateRefresh);
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(300, 200));
    QCOMPARE(clicked.last().at(0).value<int32_t>(), int32_t(-1));
  }

  void shiftDragSelectsARectangle() {
    MapView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto xy = clusters(3000);
    view.setPoints(xy, true);
    view.replot(QCustomPlot::rpImmediateRefresh);
    QSignalSpy selected(&view, &MapView::areaSelected);
    const QPoint from(100, 80), to(350, 300);
    const QCPRange xRange = view.xAxis->range();
    QTest::mousePress(&view, Qt::LeftButton, Qt::ShiftModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), view.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(&view, &move);
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::ShiftModifier, to);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(view.xAxis->range(), xRange);  // no pan underneath
    auto points = selected.first().at(0).value<std::vector<int32_t>>();
    QRectF box = QRectF(from, to).normalized();
    size_t expected = 0;
    for (int32_t i = 0; i < 3000; ++i) expected += box.contains(view.pixelOf(i)) ? 1 : 0;
    QVERIFY(expected > 50);
    QVERIFY(std::abs(double(points.size()) - double(expected)) <= 2);  // edge rounding
  }

  void highlightsDoNotRedrawTheCloud() {
    MapView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPoints(clusters(5000), true);
    view.replot(QCustomPlot::rpImmediateRefresh);
    const int rasters = view.cloud()->rasterCount();
    QVERIFY(rasters >= 1);
    view.highlights()->setSelection({1, 2, 3});
    view.highlights()->setFocus(1);
    view.refreshHighlights();
    view.replot(QCustomPlot::rpImmediateRefresh);  // same ranges: the cached image is reused
    QCOMPARE(view.cloud()->rasterCount(), rasters);
    view.setPointSize(5);
    view.replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(view.cloud()->rasterCount(), rasters + 1);
  }

  void hiddenPointsAreNotHitNorFramed() {
    MapView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPoints(clusters(1200), true);
    std::vector<uint8_t> hidden(1200, 1);
    hidden[5] = 0;
    hidden[17] = 0;
    view.setHidden(hidden);
    view.resetView();
    view.replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY(view.rect().contains(view.pixelOf(5).toPoint()));
    QVERIFY(view.rect().contains(view.pixelOf(17).toPoint()));
    QCOMPARE(view.pointAt(view.pixelOf(5)), int32_t(5));
    auto all = view.pointsInside(QPolygonF(QRectF(view.rect())));
    QCOMPARE(all, (std::vector<int32_t>{5, 17}));
  }

  void drawTimeAt100kAnd1M() {
    MapView view;
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int count : {100'000, 1'000'000}) {
      std::vector<uint16_t> cluster;
      view.setPoints(clusters(count, &cluster), true);
      view.setColours(cluster, palette12());
      view.setPointSize(3);
      view.replot(QCustomPlot::rpImmediateRefresh);
      double raster = 0, full = 0;
      const int rounds = 5;
      for (int r = 0; r < rounds; ++r) {
        view.xAxis->moveRange(0.05);  // a pan step: the cloud must be redrawn
        QElapsedTimer clock;
        clock.start();
        view.replot(QCustomPlot::rpImmediateRefresh);
        full += clock.nsecsElapsed() / 1e6;
        raster += view.cloud()->lastRasterMs();
      }
      QElapsedTimer build;
      build.start();
      view.pointAt(QPointF(10, 10));  // the first lookup builds the grid
      const double gridMs = build.nsecsElapsed() / 1e6;
      QElapsedTimer hover;
      hover.start();
      for (int r = 0; r < 20; ++r) view.pointAt(view.pixelOf(r * 997) + QPointF(2, 1));
      qInfo("%d points: cloud raster %.1f ms, full replot %.1f ms (mean of %d pans), "
            "grid build %.1f ms, hover lookup %.3f ms", count, raster / rounds, full / rounds, rounds,
            gridMs, hover.nsecsElapsed() / 1e6 / 20);
      pl::ui::test::maybeGrab(view, QStringLiteral("map_%1.png").arg(count));
    }
  }
};

QTEST_MAIN(MapViewTest)
#include "test_map_view.moc"
