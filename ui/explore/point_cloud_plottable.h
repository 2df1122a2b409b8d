#pragma once
// The map's points as one QCustomPlot plottable that rasterises them itself
// (ui/explore/point_raster.h) into a cached image: QCPGraph's scatter paints
// each point with QPainter, far too slow for 100k to 1M points. The image is
// redrawn only when the ranges, size, colours or points change, so hover and
// selection (drawn on another layer) never repaint the cloud.

#include <qcustomplot.h>

#include <QImage>
#include <QRgb>
#include <cstdint>
#include <memory>
#include <vector>

namespace pl::ui {

/// Interleaved (x, y) coordinates of the map's points, shared between the
/// plottables, the spatial grid and the page (partial maps replace it whole).
using PointCoordinates = std::shared_ptr<const std::vector<float>>;

/// Draws many points, each in its palette colour, in a fixed shuffled order
/// so that no class hides another.
class PointCloudPlottable : public QCPAbstractPlottable {
  Q_OBJECT

 public:
  PointCloudPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);

  /// New coordinates. The drawing order is reshuffled only when the number of
  /// points changes, so an animating map does not flicker.
  void setPoints(PointCoordinates xy);
  const PointCoordinates& points() const { return xy_; }
  int64_t pointCount() const { return xy_ ? static_cast<int64_t>(xy_->size() / 2) : 0; }
  /// The extent of the finite points; hasBounds() is false without any.
  QRectF bounds() const { return bounds_; }
  bool hasBounds() const { return hasBounds_; }

  /// Colour of point i: palette[index[i]]; an empty index means palette[0] for all.
  void setColours(std::vector<uint16_t> index, std::vector<QRgb> palette);
  QRgb colourOf(int64_t point) const;
  /// Non-zero bytes hide points (Isolate selection); empty shows all.
  void setHidden(std::vector<uint8_t> hidden);
  const std::vector<uint8_t>& hidden() const { return hidden_; }
  bool isHidden(int64_t point) const { return !hidden_.empty() && hidden_[point]; }
  /// Diameter of a point in logical pixels.
  void setPointSize(int pixels);
  int pointSize() const { return pointSize_; }

  /// Milliseconds the last rasterisation took, and how many have run (tests, bench).
  double lastRasterMs() const { return lastRasterMs_; }
  int rasterCount() const { return rasterCount_; }

  double selectTest(const QPointF& pos, bool onlySelectable,
                    QVariant* details = nullptr) const override;
  QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
  QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                         const QCPRange& inKeyRange = QCPRange()) const override;

 protected:
  void draw(QCPPainter* painter) override;
  void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

 private:
  /// What the cached image was drawn from; any difference redraws it.
  struct ImageKey {
    QCPRange keyRange, valueRange;
    QRect rect;
    double pixelRatio = 0;
    bool operator==(const ImageKey& o) const {
      return keyRange == o.keyRange && valueRange == o.valueRange && rect == o.rect &&
             pixelRatio == o.pixelRatio;
    }
  };
  void rasterise(const ImageKey& key);
  /// Copies coordinates / colours into drawing order (see drawXy_).
  void arrangeCoordinates();
  void arrangeColours();

  PointCoordinates xy_;
  QRectF bounds_;
  bool hasBounds_ = false;
  std::vector<int32_t> order_;
  // The points' coordinates and colours copied into the shuffled drawing
  // order, so a redraw reads them in one sequential sweep instead of
  // jumping around memory (at 1M points that halves the time).
  std::vector<float> drawXy_;
  std::vector<QRgb> drawColour_;  ///< fully transparent: hidden
  std::vector<uint16_t> colourIndex_;
  std::vector<QRgb> palette_;
  std::vector<uint8_t> hidden_;
  int pointSize_ = 3;

  QImage image_;
  ImageKey imageKey_;
  bool imageValid_ = false;
  double lastRasterMs_ = 0;
  int rasterCount_ = 0;
};

}  // namespace pl::ui
