#include "ui/image_convert.h"

#include <algorithm>

namespace pl::ui {

QImage matToQImage(const cv::Mat& mat) {
  if (mat.empty() || mat.depth() != CV_8U) return {};
  QImage::Format format;
  switch (mat.channels()) {
    case 1: format = QImage::Format_Grayscale8; break;
    case 3: format = QImage::Format_BGR888; break;
    case 4: format = QImage::Format_ARGB32; break;  // BGRA in memory on little endian
    default: return {};
  }
  QImage view(mat.data, mat.cols, mat.rows, static_cast<qsizetype>(mat.step), format);
  return view.copy();  // the Mat's buffer dies with the Mat
}

QPixmap productPixmap(const QImage& image, int box) {
  if (image.isNull() || box <= 0) return {};
  int longest = std::max(image.width(), image.height());
  if (longest * 2 <= box) {
    int factor = box / longest;
    return QPixmap::fromImage(image.scaled(image.width() * factor, image.height() * factor,
                                           Qt::KeepAspectRatio, Qt::FastTransformation));
  }
  if (longest <= box) return QPixmap::fromImage(image);
  return QPixmap::fromImage(
      image.scaled(box, box, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

}  // namespace pl::ui
