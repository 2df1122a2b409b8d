#pragma once
// A uniform grid over the map's 2D points, so the point under the mouse and
// the points inside a rubber band or lasso are found by visiting a few cells
// instead of every point (a million points, every mouse move).

#include <QPolygonF>
#include <cstdint>
#include <vector>

namespace pl::ui {

/// Spatial index of interleaved (x, y) float points. Rebuild after the points move.
class PointGrid {
 public:
  /// Indexes `count` points; points with a non-finite coordinate are left out.
  void build(const float* xy, int64_t count);
  void clear();
  bool empty() const { return count_ == 0; }
  int64_t pointCount() const { return count_; }

  /// The point nearest to (x, y) with distances measured in pixels, given the
  /// axes' pixels per unit (they differ when the map is stretched); -1 when
  /// none lies within `maxPixels`. Points whose `hidden` byte is non-zero are
  /// skipped (`hidden` may be null).
  int64_t nearest(double x, double y, double pixelsPerUnitX, double pixelsPerUnitY,
                  double maxPixels, const uint8_t* hidden = nullptr) const;

  /// Points inside `polygon` (data coordinates; odd-even rule), ascending.
  std::vector<int32_t> inside(const QPolygonF& polygon, const uint8_t* hidden = nullptr) const;

 private:
  int cellX(double x) const;
  int cellY(double y) const;

  const float* xy_ = nullptr;
  int64_t count_ = 0;
  int columns_ = 0;
  int rows_ = 0;
  double minX_ = 0, minY_ = 0, cellWidth_ = 1, cellHeight_ = 1;
  std::vector<int32_t> cellStart_;  ///< columns * rows + 1 offsets into points_
  std::vector<int32_t> points_;     ///< point indices grouped by cell
};

}  // namespace pl::ui
