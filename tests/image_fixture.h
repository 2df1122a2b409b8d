#pragma once
// A tiny picture catalog written by the tests: three kinds of drawings
// (a disc, stripes, a cross) in varying colours, positions and sizes, so
// contrastive and masked-image objectives have something to learn in seconds.
#include <QByteArray>
#include <QDir>
#include <QTemporaryDir>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

namespace pl::test {

/// Draws picture `i` (kind i % 3), 24 wide and 20 high, colour.
inline cv::Mat fixturePicture(int i) {
  std::mt19937 rng(static_cast<unsigned>(i) * 2654435761u);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  cv::Mat image(20, 24, CV_8UC3, cv::Scalar(235, 235, 235));
  const cv::Scalar colour(pick(0, 160), pick(0, 160), pick(0, 160));
  const int cx = pick(8, 15), cy = pick(7, 12);
  switch (i % 3) {
    case 0: cv::circle(image, {cx, cy}, pick(4, 7), colour, cv::FILLED); break;
    case 1:
      for (int y = pick(1, 3); y < image.rows; y += 4) cv::line(image, {0, y}, {image.cols - 1, y}, colour, 2);
      break;
    default:
      cv::line(image, {cx - 6, cy}, {cx + 6, cy}, colour, 3);
      cv::line(image, {cx, cy - 6}, {cx, cy + 6}, colour, 3);
  }
  return image;
}

/// Writes `count` pictures as dir/images/N.png and returns a catalog CSV
/// (id, title, kind, image) that points at them.
inline QByteArray writePictureCatalog(const QTemporaryDir& dir, int count) {
  QDir().mkpath(dir.filePath("images"));
  const char* kinds[3] = {"disc", "stripes", "cross"};
  QByteArray csv = "id,title,kind,image\n";
  for (int i = 0; i < count; ++i) {
    const QString name = QString("images/%1.png").arg(i);
    cv::imwrite(dir.filePath(name).toStdString(), fixturePicture(i));
    csv += QString("%1,item %1 %2,%2,%3\n").arg(i).arg(kinds[i % 3]).arg(name).toUtf8();
  }
  return csv;
}

}  // namespace pl::test
