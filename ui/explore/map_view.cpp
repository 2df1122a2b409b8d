#include "ui/explore/map_view.h"

#include <QMouseEvent>
#include <algorithm>
#include <cmath>

namespace pl::ui {

namespace {

// Below this a press and release are a click, not a drag.
constexpr double kClickSlopPixels = 4;
// Share of the map's extent left free around it when framed.
constexpr double kFrameMargin = 0.04;

}  // namespace

MapView::MapView(QWidget* parent) : QCustomPlot(parent) {
  setObjectName(QStringLiteral("exploreMap"));
  setMouseTracking(true);
  setMinimumSize(320, 240);
  // The coordinates of a map mean nothing to a reader: no axes, the whole
  // widget is the map.
  xAxis->setVisible(false);
  yAxis->setVisible(false);
  axisRect()->setAutoMargins(QCP::msNone);
  axisRect()->setMargins(QMargins(0, 0, 0, 0));
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  setNoAntialiasingOnDrag(true);

  cloud_ = new PointCloudPlottable(xAxis, yAxis);
  cloud_->setLayer(QStringLiteral("main"));
  QCPLayer* overlay = layer(QStringLiteral("overlay"));
  overlay->setMode(QCPLayer::lmBuffered);
  highlights_ = new MapHighlights(xAxis, yAxis, cloud_);
  highlights_->setLayer(overlay);

  // Equal units per pixel on both axes, whatever the widget's shape: a
  // circle of neighbours should look like one.
  connect(this, &QCustomPlot::afterLayout, this, [this] { xAxis->setScaleRatio(yAxis, 1.0); });
  connect(this, &QCustomPlot::afterReplot, this, [this] { replotted_ = true; });
  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &MapView::replotNow);
}

void MapView::setPoints(PointCoordinates xy, bool fitView) {
  cloud_->setPoints(std::move(xy));
  gridDirty_ = true;
  if (fitView) resetView();
  requestReplot();
}

void MapView::setColours(std::vector<uint16_t> index, std::vector<QRgb> palette) {
  cloud_->setColours(std::move(index), std::move(palette));
  requestReplot();
}

void MapView::setPointSize(int pixels) {
  cloud_->setPointSize(pixels);
  requestReplot();
}

void MapView::setHidden(std::vector<uint8_t> hidden) {
  cloud_->setHidden(std::move(hidden));
  requestReplot();
}

void MapView::setDragMode(DragMode mode) {
  dragMode_ = mode;
  setCursor(mode == DragMode::Pan ? Qt::ArrowCursor : Qt::CrossCursor);
}

void MapView::resetView() {
  QRectF box = cloud_->hasBounds() ? cloud_->bounds() : QRectF(-1, -1, 2, 2);
  const auto& hidden = cloud_->hidden();
  if (!hidden.empty() && cloud_->points()) {
    const auto& xy = *cloud_->points();
    double minX = INFINITY, maxX = -INFINITY, minY = INFINITY, maxY = -INFINITY;
    for (int64_t i = 0; i < cloud_->pointCount(); ++i) {
      if (hidden[i] || !std::isfinite(xy[2 * i]) || !std::isfinite(xy[2 * i + 1])) continue;
      minX = std::min<double>(minX, xy[2 * i]);
      maxX = std::max<double>(maxX, xy[2 * i]);
      minY = std::min<double>(minY, xy[2 * i + 1]);
      maxY = std::max<double>(maxY, xy[2 * i + 1]);
    }
    if (minX <= maxX) box = QRectF(QPointF(minX, minY), QPointF(maxX, maxY));
  }
  const double width = std::max(box.width(), 1e-6), height = std::max(box.height(), 1e-6);
  const QRect rect = axisRect()->rect().isEmpty() ? this->rect() : axisRect()->rect();
  // The larger of the two units-per-pixel fits both extents.
  const double perPixel = std::max(width / std::max(rect.width(), 1),
                                   height / std::max(rect.height(), 1)) * (1 + 2 * kFrameMargin);
  const QPointF c = box.center();
  xAxis->setRange(c.x() - perPixel * rect.width() / 2, c.x() + perPixel * rect.width() / 2);
  yAxis->setRange(c.y() - perPixel * rect.height() / 2, c.y() + perPixel * rect.height() / 2);
  requestReplot();
}

void MapView::centreOn(int32_t point) {
  if (point < 0 || point >= pointCount()) return;
  const auto& xy = *cloud_->points();
  xAxis->setRange(xy[2 * point], xAxis->range().size(), Qt::AlignCenter);
  yAxis->setRange(xy[2 * point + 1], yAxis->range().size(), Qt::AlignCenter);
  requestReplot();
}

QPointF MapView::pixelOf(int32_t point) const {
  if (point < 0 || point >= pointCount()) return {};
  const auto& xy = *cloud_->points();
  return {xAxis->coordToPixel(xy[2 * point]), yAxis->coordToPixel(xy[2 * point + 1])};
}

void MapView::ensureGrid() const {
  if (!gridDirty_) return;
  if (cloud_->points()) grid_.build(cloud_->points()->data(), cloud_->pointCount());
  else grid_.clear();
  gridDirty_ = false;
}

int32_t MapView::pointAt(const QPointF& pixel) const {
  if (pointCount() == 0) return -1;
  ensureGrid();
  const double perUnitX = std::abs(xAxis->coordToPixel(1) - xAxis->coordToPixel(0));
  const double perUnitY = std::abs(yAxis->coordToPixel(1) - yAxis->coordToPixel(0));
  const auto& hidden = cloud_->hidden();
  return static_cast<int32_t>(grid_.nearest(xAxis->pixelToCoord(pixel.x()),
                                            yAxis->pixelToCoord(pixel.y()), perUnitX, perUnitY,
                                            kHitPixels, hidden.empty() ? nullptr : hidden.data()));
}

std::vector<int32_t> MapView::pointsInside(const QPolygonF& pixels) const {
  if (pointCount() == 0) return {};
  ensureGrid();
  QPolygonF data;
  data.reserve(pixels.size());
  for (const QPointF& p : pixels) data << QPointF(xAxis->pixelToCoord(p.x()), yAxis->pixelToCoord(p.y()));
  const auto& hidden = cloud_->hidden();
  return grid_.inside(data, hidden.empty() ? nullptr : hidden.data());
}

void MapView::requestReplot() {
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void MapView::replotNow() {
  replotTimer_.stop();
  replot(rpQueuedRefresh);
  ++replotCount_;
}

void MapView::refreshHighlights() {
  // A layer has no paint buffer before the plot's first replot.
  if (!replotted_) requestReplot();
  else highlights_->layer()->replot();
}

QPolygonF MapView::bandPolygon(const QPointF& corner) const {
  return QPolygonF(QRectF(pressPos_, corner).normalized());
}

void MapView::mousePressEvent(QMouseEvent* event) {
  pressPos_ = event->position();
  drag_ = Drag::None;
  setHover(-1, {});  // the card would sit over what is being dragged
  if (event->button() == Qt::LeftButton) {
    const auto mods = event->modifiers();
    const bool band = dragMode_ == DragMode::Rectangle || (mods & Qt::ShiftModifier);
    const bool lasso = !band && (dragMode_ == DragMode::Lasso || (mods & Qt::ControlModifier));
    if (band || lasso) {
      // Our own drag: the plot must not pan underneath it.
      drag_ = band ? Drag::Band : Drag::Lasso;
      dragPath_ = QPolygonF() << pressPos_;
      event->accept();
      return;
    }
    drag_ = Drag::Pan;
  }
  QCustomPlot::mousePressEvent(event);
}

void MapView::mouseMoveEvent(QMouseEvent* event) {
  const QPointF pos = event->position();
  if (drag_ == Drag::Band || drag_ == Drag::Lasso) {
    if (drag_ == Drag::Band) dragPath_ = bandPolygon(pos);
    else dragPath_ << pos;
    highlights_->setDragShape(dragPath_);
    refreshHighlights();
    return;
  }
  QCustomPlot::mouseMoveEvent(event);
  if (event->buttons() == Qt::NoButton) setHover(pointAt(pos), event->globalPosition().toPoint());
}

void MapView::mouseReleaseEvent(QMouseEvent* event) {
  const QPointF pos = event->position();
  const bool moved = QLineF(pressPos_, pos).length() > kClickSlopPixels;
  const Drag drag = drag_;
  drag_ = Drag::None;
  if (drag == Drag::Band || drag == Drag::Lasso) {
    highlights_->setDragShape({});
    if (moved) {
      QPolygonF shape = drag == Drag::Band ? bandPolygon(pos) : dragPath_ << pos;
      emit areaSelected(pointsInside(shape), event->modifiers());
    } else {
      emit pointClicked(pointAt(pos), event->modifiers());
    }
    dragPath_.clear();
    refreshHighlights();
    return;
  }
  QCustomPlot::mouseReleaseEvent(event);
  if (drag == Drag::Pan && !moved) emit pointClicked(pointAt(pos), event->modifiers());
  if (drag == Drag::Pan && moved) emit viewMovedByUser();
}

void MapView::wheelEvent(QWheelEvent* event) {
  QCustomPlot::wheelEvent(event);
  emit viewMovedByUser();
}

void MapView::leaveEvent(QEvent* event) {
  QCustomPlot::leaveEvent(event);
  setHover(-1, {});
}

void MapView::setHover(int32_t point, const QPoint& globalPos) {
  if (point == highlights_->hover()) return;
  highlights_->setHover(point);
  refreshHighlights();
  emit hoverChanged(point, globalPos);
}

}  // namespace pl::ui
