#include "ui/explore/point_cloud_plottable.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "ui/explore/point_raster.h"

namespace pl::ui {

PointCloudPlottable::PointCloudPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis) {
  setSelectable(QCP::stNone);
  palette_ = {0xff3b75af};
}

void PointCloudPlottable::setPoints(PointCoordinates xy) {
  xy_ = std::move(xy);
  const int64_t count = pointCount();
  if (static_cast<int64_t>(order_.size()) != count) {
    order_.resize(static_cast<size_t>(count));
    std::iota(order_.begin(), order_.end(), 0);
    // Fixed seed: the same map always looks the same.
    std::shuffle(order_.begin(), order_.end(), std::mt19937(20240601));
  }
  float minX = INFINITY, maxX = -INFINITY, minY = INFINITY, maxY = -INFINITY;
  for (int64_t i = 0; i < count; ++i) {
    float x = (*xy_)[2 * i], y = (*xy_)[2 * i + 1];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    minX = std::min(minX, x);
    maxX = std::max(maxX, x);
    minY = std::min(minY, y);
    maxY = std::max(maxY, y);
  }
  hasBounds_ = minX <= maxX;
  bounds_ = hasBounds_ ? QRectF(QPointF(minX, minY), QPointF(maxX, maxY)) : QRectF();
  if (!hidden_.empty() && static_cast<int64_t>(hidden_.size()) != count) hidden_.clear();
  arrangeCoordinates();
  if (drawColour_.size() != order_.size()) arrangeColours();
  imageValid_ = false;
}

void PointCloudPlottable::arrangeCoordinates() {
  drawXy_.resize(2 * order_.size());
  const std::vector<float>& xy = *xy_;
  for (size_t k = 0; k < order_.size(); ++k) {
    drawXy_[2 * k] = xy[2 * order_[k]];
    drawXy_[2 * k + 1] = xy[2 * order_[k] + 1];
  }
}

void PointCloudPlottable::arrangeColours() {
  drawColour_.resize(order_.size());
  for (size_t k = 0; k < order_.size(); ++k) {
    const int32_t i = order_[k];
    drawColour_[k] = !hidden_.empty() && hidden_[i] ? 0 : colourOf(i);
  }
}

void PointCloudPlottable::setColours(std::vector<uint16_t> index, std::vector<QRgb> palette) {
  colourIndex_ = std::move(index);
  palette_ = palette.empty() ? std::vector<QRgb>{0xff3b75af} : std::move(palette);
  arrangeColours();
  imageValid_ = false;
}

QRgb PointCloudPlottable::colourOf(int64_t point) const {
  if (point < 0 || point >= static_cast<int64_t>(colourIndex_.size())) return palette_.front();
  return palette_[std::min<size_t>(colourIndex_[point], palette_.size() - 1)];
}

void PointCloudPlottable::setHidden(std::vector<uint8_t> hidden) {
  hidden_ = std::move(hidden);
  arrangeColours();
  imageValid_ = false;
}

void PointCloudPlottable::setPointSize(int pixels) {
  pointSize_ = std::max(1, pixels);
  imageValid_ = false;
}

double PointCloudPlottable::selectTest(const QPointF&, bool, QVariant*) const {
  return -1;  // the map view finds points with its own grid
}

QCPRange PointCloudPlottable::getKeyRange(bool& foundRange, QCP::SignDomain) const {
  foundRange = hasBounds_;
  return QCPRange(bounds_.left(), bounds_.right());
}

QCPRange PointCloudPlottable::getValueRange(bool& foundRange, QCP::SignDomain,
                                            const QCPRange&) const {
  foundRange = hasBounds_;
  return QCPRange(bounds_.top(), bounds_.bottom());
}

void PointCloudPlottable::draw(QCPPainter* painter) {
  if (!mKeyAxis || !mValueAxis || pointCount() == 0) return;
  const QRect rect = clipRect();
  if (rect.isEmpty()) return;
  ImageKey key{mKeyAxis->range(), mValueAxis->range(), rect,
               mParentPlot ? mParentPlot->bufferDevicePixelRatio() : 1.0};
  if (!imageValid_ || !(key == imageKey_)) rasterise(key);
  painter->drawImage(rect.topLeft(), image_);
}

void PointCloudPlottable::rasterise(const ImageKey& key) {
  QElapsedTimer clock;
  clock.start();
  const double ratio = key.pixelRatio;
  const QSize size(std::max(1, static_cast<int>(key.rect.width() * ratio)),
                   std::max(1, static_cast<int>(key.rect.height() * ratio)));
  if (image_.size() != size) image_ = QImage(size, QImage::Format_ARGB32_Premultiplied);
  image_.setDevicePixelRatio(ratio);
  image_.fill(Qt::transparent);

  // Axis coordinates are linear: two points define data -> device pixels.
  const double x0 = mKeyAxis->coordToPixel(0), x1 = mKeyAxis->coordToPixel(1);
  const double y0 = mValueAxis->coordToPixel(0), y1 = mValueAxis->coordToPixel(1);
  PixelTransform t;
  t.scaleX = (x1 - x0) * ratio;
  t.offsetX = (x0 - key.rect.left()) * ratio;
  t.scaleY = (y1 - y0) * ratio;
  t.offsetY = (y0 - key.rect.top()) * ratio;
  const PointStamp stamp = discStamp(static_cast<int>(std::lround(pointSize_ * ratio)));
  const QRgb* colours = drawColour_.data();
  stampPoints(image_, drawXy_.data(), nullptr, drawColour_.size(), t, stamp,
              [colours](int32_t k) { return colours[k]; });
  imageKey_ = key;
  imageValid_ = true;
  lastRasterMs_ = clock.nsecsElapsed() / 1e6;
  ++rasterCount_;
}

void PointCloudPlottable::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const {
  painter->setPen(Qt::NoPen);
  painter->setBrush(QColor(palette_.front()));
  painter->drawEllipse(rect.center(), 3, 3);
}

}  // namespace pl::ui
