#pragma once
// The marks over the map's points: search hits, the selection, the
// neighbours of the focused product, the focused product itself, the point
// under the mouse, and the rubber band or lasso being drawn. They live on a
// layer of their own, so changing them repaints only that layer, never the
// (expensive) cloud below.

#include <qcustomplot.h>

#include <QPolygonF>
#include <cstdint>
#include <vector>

#include "ui/explore/point_cloud_plottable.h"

namespace pl::ui {

/// Outlined markers for a few (or, rasterised, many) points of the cloud.
class MapHighlights : public QCPAbstractPlottable {
  Q_OBJECT

 public:
  /// Above this many, a set is stamped into an image instead of painted.
  static constexpr size_t kMaxPainted = 2000;

  MapHighlights(QCPAxis* keyAxis, QCPAxis* valueAxis, const PointCloudPlottable* cloud);

  void setSelection(std::vector<int32_t> points) { selection_ = std::move(points); }
  void setNeighbours(std::vector<int32_t> points) { neighbours_ = std::move(points); }
  void setSearchHits(std::vector<int32_t> points) { searchHits_ = std::move(points); }
  void setFocus(int32_t point) { focus_ = point; }
  void setHover(int32_t point) { hover_ = point; }
  /// The rubber band or lasso in widget pixels (empty: none), closed when drawn.
  void setDragShape(QPolygonF pixels) { dragShape_ = std::move(pixels); }

  const std::vector<int32_t>& selectionPoints() const { return selection_; }
  const std::vector<int32_t>& neighbours() const { return neighbours_; }
  const std::vector<int32_t>& searchHits() const { return searchHits_; }
  int32_t focus() const { return focus_; }
  int32_t hover() const { return hover_; }

  double selectTest(const QPointF&, bool, QVariant* = nullptr) const override { return -1; }
  QCPRange getKeyRange(bool& foundRange, QCP::SignDomain = QCP::sdBoth) const override;
  QCPRange getValueRange(bool& foundRange, QCP::SignDomain = QCP::sdBoth,
                         const QCPRange& = QCPRange()) const override;

 protected:
  void draw(QCPPainter* painter) override;
  void drawLegendIcon(QCPPainter*, const QRectF&) const override {}

 private:
  /// Outlines `points` in `rim`, filled with their own cloud colour, one
  /// pixel bigger than the cloud's points (+ `grow`).
  void drawSet(QCPPainter* painter, const std::vector<int32_t>& points, QColor rim, int grow);
  void stampSet(QCPPainter* painter, const std::vector<int32_t>& points, QColor rim, int grow);
  QPointF pixelOf(int32_t point) const;

  const PointCloudPlottable* cloud_;
  std::vector<int32_t> selection_, neighbours_, searchHits_;
  int32_t focus_ = -1;
  int32_t hover_ = -1;
  QPolygonF dragShape_;
};

}  // namespace pl::ui
