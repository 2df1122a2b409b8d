#include "ui/explore/map_highlights.h"

#include <algorithm>
#include <cmath>

#include "ui/explore/point_raster.h"

namespace pl::ui {

namespace {

// Rims in black and grey, never a palette colour, so a mark cannot be
// mistaken for a category; the focused product gets a white halo too.
const QColor kSearchRim(0x7a, 0x7a, 0x7a);
const QColor kSelectionRim(0x30, 0x30, 0x30);
const QColor kNeighbourRim(0x00, 0x00, 0x00);
const QColor kFocusRim(0x00, 0x00, 0x00);

}  // namespace

MapHighlights::MapHighlights(QCPAxis* keyAxis, QCPAxis* valueAxis,
                             const PointCloudPlottable* cloud)
    : QCPAbstractPlottable(keyAxis, valueAxis), cloud_(cloud) {
  setSelectable(QCP::stNone);
}

QCPRange MapHighlights::getKeyRange(bool& foundRange, QCP::SignDomain) const {
  foundRange = false;  // the cloud decides the ranges
  return {};
}

QCPRange MapHighlights::getValueRange(bool& foundRange, QCP::SignDomain, const QCPRange&) const {
  foundRange = false;
  return {};
}

QPointF MapHighlights::pixelOf(int32_t point) const {
  const auto& xy = *cloud_->points();
  return coordsToPixels(xy[2 * point], xy[2 * point + 1]);
}

void MapHighlights::draw(QCPPainter* painter) {
  const int64_t count = cloud_->pointCount();
  if (count > 0) {
    auto valid = [&](const std::vector<int32_t>& points) {
      std::vector<int32_t> kept;
      kept.reserve(points.size());
      for (int32_t p : points) {
        if (p >= 0 && p < count && !cloud_->isHidden(p)) kept.push_back(p);
      }
      return kept;
    };
    drawSet(painter, valid(searchHits_), kSearchRim, 2);
    drawSet(painter, valid(selection_), kSelectionRim, 1);
    drawSet(painter, valid(neighbours_), kNeighbourRim, 2);
    if (focus_ >= 0 && focus_ < count) {
      const double r = cloud_->pointSize() / 2.0 + 5;
      painter->setAntialiasing(true);
      painter->setBrush(Qt::NoBrush);
      painter->setPen(QPen(Qt::white, 4));
      painter->drawEllipse(pixelOf(focus_), r, r);
      painter->setPen(QPen(kFocusRim, 2));
      painter->drawEllipse(pixelOf(focus_), r + 2, r + 2);
      drawSet(painter, {focus_}, kFocusRim, 2);
    }
    if (hover_ >= 0 && hover_ < count && !cloud_->isHidden(hover_)) {
      painter->setAntialiasing(true);
      painter->setPen(QPen(QColor(0, 0, 0, 200), 1.5));
      painter->setBrush(Qt::NoBrush);
      const double r = cloud_->pointSize() / 2.0 + 6;
      painter->drawEllipse(pixelOf(hover_), r, r);
    }
  }
  if (dragShape_.size() >= 2) {
    painter->setAntialiasing(true);
    painter->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1, Qt::DashLine));
    painter->setBrush(QColor(0x1f, 0x77, 0xb4, 30));
    painter->drawPolygon(dragShape_);
  }
}

void MapHighlights::drawSet(QCPPainter* painter, const std::vector<int32_t>& points, QColor rim,
                            int grow) {
  if (points.empty()) return;
  if (points.size() > kMaxPainted) {
    stampSet(painter, points, rim, grow);
    return;
  }
  painter->setAntialiasing(true);
  const double r = (cloud_->pointSize() + grow) / 2.0 + 1;
  for (int32_t p : points) {
    painter->setPen(QPen(rim, 1.5));
    painter->setBrush(QColor(cloud_->colourOf(p)));
    painter->drawEllipse(pixelOf(p), r, r);
  }
}

void MapHighlights::stampSet(QCPPainter* painter, const std::vector<int32_t>& points, QColor rim,
                             int grow) {
  // Many points (a rubber band over a dense region): QPainter would take
  // long, so rims and fills go straight into pixels like the cloud.
  const QRect rect = clipRect();
  const double ratio = mParentPlot->bufferDevicePixelRatio();
  QImage image(std::max(1, int(rect.width() * ratio)), std::max(1, int(rect.height() * ratio)),
               QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(ratio);
  image.fill(Qt::transparent);
  const double x0 = mKeyAxis->coordToPixel(0), x1 = mKeyAxis->coordToPixel(1);
  const double y0 = mValueAxis->coordToPixel(0), y1 = mValueAxis->coordToPixel(1);
  PixelTransform t{(x1 - x0) * ratio, (x0 - rect.left()) * ratio, (y1 - y0) * ratio,
                   (y0 - rect.top()) * ratio};
  const int diameter = static_cast<int>(std::lround((cloud_->pointSize() + grow) * ratio));
  const float* xy = cloud_->points()->data();
  const QRgb rimColour = rim.rgba();
  stampPoints(image, xy, points.data(), points.size(), t, ringStamp(diameter),
              [&](int32_t) { return rimColour; });
  stampPoints(image, xy, points.data(), points.size(), t, discStamp(diameter),
              [&](int32_t p) { return cloud_->colourOf(p); });
  painter->drawImage(rect.topLeft(), image);
}

}  // namespace pl::ui
