#include "ui/explore/point_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pl::ui {

namespace {

// About two points per cell on average: few enough cells to stay small,
// few enough points per cell that a lookup touches a handful.
constexpr double kPointsPerCell = 2.0;
constexpr int kMaxSide = 2048;

bool finite(const float* p) { return std::isfinite(p[0]) && std::isfinite(p[1]); }

}  // namespace

void PointGrid::clear() {
  xy_ = nullptr;
  count_ = 0;
  columns_ = rows_ = 0;
  cellStart_.clear();
  points_.clear();
}

int PointGrid::cellX(double x) const {
  return std::clamp(static_cast<int>(std::floor((x - minX_) / cellWidth_)), 0, columns_ - 1);
}

int PointGrid::cellY(double y) const {
  return std::clamp(static_cast<int>(std::floor((y - minY_) / cellHeight_)), 0, rows_ - 1);
}

void PointGrid::build(const float* xy, int64_t count) {
  clear();
  double maxX = -std::numeric_limits<double>::infinity(), maxY = maxX;
  minX_ = minY_ = std::numeric_limits<double>::infinity();
  int64_t indexed = 0;
  for (int64_t i = 0; i < count; ++i) {
    const float* p = xy + 2 * i;
    if (!finite(p)) continue;
    minX_ = std::min(minX_, double(p[0]));
    maxX = std::max(maxX, double(p[0]));
    minY_ = std::min(minY_, double(p[1]));
    maxY = std::max(maxY, double(p[1]));
    ++indexed;
  }
  if (indexed == 0) return;
  xy_ = xy;
  count_ = count;
  int side = std::clamp(static_cast<int>(std::sqrt(indexed / kPointsPerCell)), 1, kMaxSide);
  columns_ = rows_ = side;
  // A degenerate extent (one point, a line) still gets cells of some size.
  cellWidth_ = std::max((maxX - minX_) / side, 1e-12);
  cellHeight_ = std::max((maxY - minY_) / side, 1e-12);

  std::vector<int32_t> cellOf(static_cast<size_t>(count), -1);
  cellStart_.assign(static_cast<size_t>(columns_) * rows_ + 1, 0);
  for (int64_t i = 0; i < count; ++i) {
    const float* p = xy + 2 * i;
    if (!finite(p)) continue;
    int cell = cellY(p[1]) * columns_ + cellX(p[0]);
    cellOf[i] = cell;
    ++cellStart_[cell + 1];
  }
  for (size_t c = 1; c < cellStart_.size(); ++c) cellStart_[c] += cellStart_[c - 1];
  points_.resize(static_cast<size_t>(indexed));
  std::vector<int32_t> fill(cellStart_.begin(), cellStart_.end() - 1);
  for (int64_t i = 0; i < count; ++i) {
    if (cellOf[i] >= 0) points_[fill[cellOf[i]]++] = static_cast<int32_t>(i);
  }
}

int64_t PointGrid::nearest(double x, double y, double pixelsPerUnitX, double pixelsPerUnitY,
                           double maxPixels, const uint8_t* hidden) const {
  if (empty() || pixelsPerUnitX <= 0 || pixelsPerUnitY <= 0) return -1;
  double reachX = maxPixels / pixelsPerUnitX, reachY = maxPixels / pixelsPerUnitY;
  if (x + reachX < minX_ || y + reachY < minY_) return -1;
  if (x - reachX > minX_ + cellWidth_ * columns_ || y - reachY > minY_ + cellHeight_ * rows_)
    return -1;
  int x0 = cellX(x - reachX), x1 = cellX(x + reachX);
  int y0 = cellY(y - reachY), y1 = cellY(y + reachY);
  int64_t best = -1;
  double bestSquared = maxPixels * maxPixels;
  for (int cy = y0; cy <= y1; ++cy) {
    for (int cx = x0; cx <= x1; ++cx) {
      int cell = cy * columns_ + cx;
      for (int32_t k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k) {
        int32_t i = points_[k];
        if (hidden && hidden[i]) continue;
        double dx = (xy_[2 * i] - x) * pixelsPerUnitX;
        double dy = (xy_[2 * i + 1] - y) * pixelsPerUnitY;
        double squared = dx * dx + dy * dy;
        if (squared <= bestSquared) {
          bestSquared = squared;
          best = i;
        }
      }
    }
  }
  return best;
}

std::vector<int32_t> PointGrid::inside(const QPolygonF& polygon, const uint8_t* hidden) const {
  std::vector<int32_t> found;
  if (empty() || polygon.size() < 3) return found;
  QRectF box = polygon.boundingRect();
  if (box.right() < minX_ || box.bottom() < minY_) return found;
  int x0 = cellX(box.left()), x1 = cellX(box.right());
  int y0 = cellY(box.top()), y1 = cellY(box.bottom());
  for (int cy = y0; cy <= y1; ++cy) {
    for (int cx = x0; cx <= x1; ++cx) {
      int cell = cy * columns_ + cx;
      for (int32_t k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k) {
        int32_t i = points_[k];
        if (hidden && hidden[i]) continue;
        QPointF p(xy_[2 * i], xy_[2 * i + 1]);
        if (box.contains(p) && polygon.containsPoint(p, Qt::OddEvenFill)) found.push_back(i);
      }
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace pl::ui
