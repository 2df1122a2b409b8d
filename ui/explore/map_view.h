#pragma once
// The map: a QCustomPlot with the point cloud, the highlights above it and
// the mouse work of exploring: wheel zoom, drag to pan, hover, click to
// select, and rubber band / lasso selection (a mode, or Shift / Ctrl + drag).
// Redraws are coalesced (at most 20 a second) while a map animates.

#include <qcustomplot.h>

#include <QPolygonF>
#include <QTimer>
#include <cstdint>
#include <vector>

#include "ui/explore/map_highlights.h"
#include "ui/explore/point_cloud_plottable.h"
#include "ui/explore/point_grid.h"

namespace pl::ui {

/// Zoomable, pannable scatter of the catalog's 2D map.
class MapView : public QCustomPlot {
  Q_OBJECT

 public:
  enum class DragMode { Pan, Rectangle, Lasso };
  static constexpr int kReplotIntervalMs = 50;
  /// How far from a point the mouse may be and still hit it.
  static constexpr double kHitPixels = 8;

  explicit MapView(QWidget* parent = nullptr);

  /// New coordinates; `fitView` frames them (a new map), otherwise the view
  /// stays where the user put it (an animating map).
  void setPoints(PointCoordinates xy, bool fitView);
  int64_t pointCount() const { return cloud_->pointCount(); }
  void setColours(std::vector<uint16_t> index, std::vector<QRgb> palette);
  void setPointSize(int pixels);
  /// Non-zero bytes hide points; empty shows all.
  void setHidden(std::vector<uint8_t> hidden);

  PointCloudPlottable* cloud() const { return cloud_; }
  MapHighlights* highlights() const { return highlights_; }

  void setDragMode(DragMode mode);
  DragMode dragMode() const { return dragMode_; }

  /// Frames the visible points with equal scales on both axes.
  void resetView();
  /// Pans so that `point` is in the middle (zoom unchanged).
  void centreOn(int32_t point);
  /// Where `point` is drawn, in widget pixels.
  QPointF pixelOf(int32_t point) const;
  /// The visible point nearest to `pixel` within kHitPixels, or -1.
  int32_t pointAt(const QPointF& pixel) const;
  /// Visible points inside a polygon given in widget pixels.
  std::vector<int32_t> pointsInside(const QPolygonF& pixels) const;

  /// Replots soon (coalesced: at most one per kReplotIntervalMs).
  void requestReplot();
  /// Repaints only the highlight layer (selection, hover), not the cloud.
  void refreshHighlights();
  int replotCount() const { return replotCount_; }

 signals:
  /// A click (no drag) on `point`, or on empty space (-1).
  void pointClicked(int32_t point, Qt::KeyboardModifiers modifiers);
  /// A finished rubber band or lasso and the points inside it.
  void areaSelected(const std::vector<int32_t>& points, Qt::KeyboardModifiers modifiers);
  /// The point under the mouse changed (-1: none), at `globalPos`.
  void hoverChanged(int32_t point, const QPoint& globalPos);
  /// The user zoomed or panned (an animating map stops reframing itself).
  void viewMovedByUser();

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

 private:
  enum class Drag { None, Pan, Band, Lasso };
  void ensureGrid() const;
  void setHover(int32_t point, const QPoint& globalPos);
  QPolygonF bandPolygon(const QPointF& corner) const;
  void replotNow();

  PointCloudPlottable* cloud_;
  MapHighlights* highlights_;
  mutable PointGrid grid_;
  mutable bool gridDirty_ = true;
  DragMode dragMode_ = DragMode::Pan;
  Drag drag_ = Drag::None;
  QPointF pressPos_;
  QPolygonF dragPath_;
  QTimer replotTimer_;
  int replotCount_ = 0;
  bool replotted_ = false;
};

}  // namespace pl::ui
