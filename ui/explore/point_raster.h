#pragma once
// Drawing many points straight into a QImage's pixels: one pass, a few
// pixel writes per point and no QPainter call, which is what keeps a million
// points interactive (QPainter's per-point ellipses take seconds).

#include <QImage>
#include <QRgb>
#include <cstdint>
#include <vector>

namespace pl::ui {

/// Data to device pixels: px = x * scaleX + offsetX, likewise y.
struct PixelTransform {
  double scaleX = 1, offsetX = 0, scaleY = 1, offsetY = 0;
};

/// The pixel offsets a point covers, relative to its centre pixel.
struct PointStamp {
  std::vector<int> dx, dy;
  int radius = 0;  ///< largest |dx| or |dy|
};

/// A filled disc `diameter` device pixels across (1: a single pixel).
PointStamp discStamp(int diameter);
/// The one-pixel-wide rim just outside discStamp(diameter): an outline.
PointStamp ringStamp(int diameter);

/// Stamps the points listed in `order` (later ones on top; null: 0, 1, 2...)
/// into `image` (32-bit, premultiplied or not: colours are written as is).
/// `colourOf(i)` gives the colour of point i; a fully transparent colour
/// skips the point. Sequential points (no order) read memory in one sweep,
/// which at a million points is most of the cost.
template <typename ColourOf>
void stampPoints(QImage& image, const float* xy, const int32_t* order, size_t count,
                 const PixelTransform& t, const PointStamp& stamp, ColourOf colourOf) {
  const int width = image.width(), height = image.height();
  const qsizetype stride = image.bytesPerLine() / 4;
  auto* bits = reinterpret_cast<uint32_t*>(image.bits());
  const size_t cover = stamp.dx.size();
  const int r = stamp.radius;
  for (size_t k = 0; k < count; ++k) {
    const int32_t i = order ? order[k] : static_cast<int32_t>(k);
    const double fx = xy[2 * i] * t.scaleX + t.offsetX;
    const double fy = xy[2 * i + 1] * t.scaleY + t.offsetY;
    // Also rejects NaN (comparisons are false) before the int conversion.
    if (!(fx >= -r - 1 && fx < width + r + 1 && fy >= -r - 1 && fy < height + r + 1)) continue;
    const QRgb colour = colourOf(i);
    if (qAlpha(colour) == 0) continue;
    const int px = static_cast<int>(fx), py = static_cast<int>(fy);
    if (px >= r && px < width - r && py >= r && py < height - r) {
      uint32_t* centre = bits + py * stride + px;
      for (size_t s = 0; s < cover; ++s) centre[stamp.dy[s] * stride + stamp.dx[s]] = colour;
    } else {
      for (size_t s = 0; s < cover; ++s) {
        const int x = px + stamp.dx[s], y = py + stamp.dy[s];
        if (x >= 0 && x < width && y >= 0 && y < height) bits[y * stride + x] = colour;
      }
    }
  }
}

}  // namespace pl::ui
