// The map's spatial grid finds the same points as a scan of all of them:
// the nearest point in pixel terms, and the points in a rectangle or lasso.

#include <QtTest>
#include <cmath>
#include <random>
#include <vector>

#include "ui/explore/point_grid.h"

using pl::ui::PointGrid;

namespace {

std::vector<float> randomPoints(int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0, 3);
  std::vector<float> xy(2 * count);
  for (float& v : xy) v = normal(rng);
  return xy;
}

}  // namespace

class PointGridTest : public QObject {
  Q_OBJECT

 private slots:
  void nearestMatchesAScanInPixelTerms() {
    auto xy = randomPoints(5000, 1);
    PointGrid grid;
    grid.build(xy.data(), 5000);
    // Stretched axes: 40 px per unit across, 10 px per unit up.
    const double sx = 40, sy = 10, reach = 8;
    std::mt19937 rng(2);
    std::uniform_real_distribution<double> where(-8, 8);
    for (int q = 0; q < 300; ++q) {
      double x = where(rng), y = where(rng);
      int64_t expected = -1;
      double best = reach * reach;
      for (int i = 0; i < 5000; ++i) {
        double dx = (xy[2 * i] - x) * sx, dy = (xy[2 * i + 1] - y) * sy;
        if (dx * dx + dy * dy <= best) {
          best = dx * dx + dy * dy;
          expected = i;
        }
      }
      int64_t found = grid.nearest(x, y, sx, sy, reach);
      if (expected < 0) {
        QCOMPARE(found, int64_t(-1));
      } else {
        QVERIFY(found >= 0);
        double dx = (xy[2 * found] - x) * sx, dy = (xy[2 * found + 1] - y) * sy;
        QCOMPARE(dx * dx + dy * dy, best);  // ties may pick another point at the same distance
      }
    }
  }

  void hiddenPointsAreSkipped() {
    std::vector<float> xy = {0, 0, 1, 0};
    std::vector<uint8_t> hidden = {1, 0};
    PointGrid grid;
    grid.build(xy.data(), 2);
    QCOMPARE(grid.nearest(0, 0, 10, 10, 20), int64_t(0));
    QCOMPARE(grid.nearest(0, 0, 10, 10, 20, hidden.data()), int64_t(1));
    QCOMPARE(grid.nearest(0, 0, 10, 10, 5, hidden.data()), int64_t(-1));
  }

  void insideMatchesAScanForALasso() {
    auto xy = randomPoints(4000, 3);
    xy[10] = NAN;  // a point without coordinates is never found
    PointGrid grid;
    grid.build(xy.data(), 4000);
    QPolygonF lasso({QPointF(-4, -4), QPointF(5, -2), QPointF(1, 0), QPointF(4, 6), QPointF(-5, 3)});
    std::vector<int32_t> expected;
    for (int i = 0; i < 4000; ++i) {
      if (std::isfinite(xy[2 * i]) && lasso.containsPoint(QPointF(xy[2 * i], xy[2 * i + 1]), Qt::OddEvenFill))
        expected.push_back(i);
    }
    QVERIFY(expected.size() > 100);
    QCOMPARE(grid.inside(lasso), expected);
  }

  void degenerateMapsStillAnswer() {
    std::vector<float> same = {2, 2, 2, 2, 2, 2};
    PointGrid grid;
    grid.build(same.data(), 3);
    QVERIFY(grid.nearest(2, 2, 1, 1, 1) >= 0);
    QCOMPARE(grid.inside(QPolygonF(QRectF(1, 1, 2, 2))).size(), size_t(3));
    grid.build(same.data(), 0);
    QVERIFY(grid.empty());
    QCOMPARE(grid.nearest(2, 2, 1, 1, 1), int64_t(-1));
  }
};

QTEST_GUILESS_MAIN(PointGridTest)
#include "test_point_grid.moc"
