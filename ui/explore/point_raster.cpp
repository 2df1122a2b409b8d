#include "ui/explore/point_raster.h"

#include <algorithm>
#include <cmath>

namespace pl::ui {

namespace {

// Pixel (dx, dy) belongs to a disc of `diameter` when its centre lies inside
// it. Odd diameters centre the disc on pixel (0, 0); even ones on the corner
// between it and (-1, -1), so a 2-pixel point is a 2x2 square.
bool inDisc(int dx, int dy, int diameter) {
  const double shift = diameter % 2 == 0 ? 0.5 : 0.0;
  const double x = dx + shift, y = dy + shift, r = diameter / 2.0;
  return x * x + y * y <= r * r;
}

void addPixel(PointStamp& stamp, int dx, int dy) {
  stamp.dx.push_back(dx);
  stamp.dy.push_back(dy);
  stamp.radius = std::max({stamp.radius, std::abs(dx), std::abs(dy)});
}

}  // namespace

PointStamp discStamp(int diameter) {
  PointStamp stamp;
  diameter = std::max(diameter, 1);
  const int reach = diameter / 2 + 1;
  for (int dy = -reach; dy <= reach; ++dy) {
    for (int dx = -reach; dx <= reach; ++dx) {
      if (inDisc(dx, dy, diameter)) addPixel(stamp, dx, dy);
    }
  }
  return stamp;
}

PointStamp ringStamp(int diameter) {
  PointStamp stamp;
  diameter = std::max(diameter, 1);
  const int reach = diameter / 2 + 2;
  for (int dy = -reach; dy <= reach; ++dy) {
    for (int dx = -reach; dx <= reach; ++dx) {
      if (inDisc(dx, dy, diameter + 2) && !inDisc(dx, dy, diameter)) addPixel(stamp, dx, dy);
    }
  }
  return stamp;
}

}  // namespace pl::ui
