#pragma once
// OpenCV images to Qt images, and the one scaling rule the UI uses for
// product pictures.

#include <QImage>
#include <QPixmap>

#include <opencv2/core.hpp>

namespace pl::ui {

/// Converts an 8-bit grey, BGR or BGRA Mat to a QImage that owns its pixels.
/// Returns a null QImage for empty or unsupported Mats.
QImage matToQImage(const cv::Mat& mat);

/// Fits `image` in a `box` x `box` square. Tiny images (Fashion-MNIST is
/// 28x28) are enlarged by a whole factor without smoothing, so their pixels
/// stay crisp instead of blurring; larger ones are scaled down smoothly.
QPixmap productPixmap(const QImage& image, int box);

}  // namespace pl::ui
