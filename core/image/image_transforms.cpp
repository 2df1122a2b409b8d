#include "image/image_transforms.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace pl {

namespace {

cv::Mat toChannels(const cv::Mat& image, int channels) {
  cv::Mat eight = image;
  if (image.depth() == CV_16U) image.convertTo(eight, CV_8U, 1.0 / 257.0);
  else if (image.depth() != CV_8U) image.convertTo(eight, CV_8U);
  const int have = eight.channels();
  cv::Mat out;
  if (have == channels) return eight;
  if (channels == 1) {
    cv::cvtColor(eight, out, have == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  } else {
    cv::cvtColor(eight, out, have == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
  }
  return out;
}

// Product photos sit on a plain background; padding with it (instead of
// black) adds no edge the encoder would have to learn to ignore.
cv::Scalar borderColour(const cv::Mat& image) {
  cv::Scalar sum = cv::sum(image.row(0)) + cv::sum(image.row(image.rows - 1)) +
                   cv::sum(image.col(0)) + cv::sum(image.col(image.cols - 1));
  return sum / static_cast<double>(2 * (image.rows + image.cols));
}

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

bool chance(std::mt19937_64& rng, double p) { return p > 0 && uniform(rng, 0, 1) < p; }

// Brightness, contrast and saturation, in a random order as torchvision does.
void jitterColour(cv::Mat& image, double strength, std::mt19937_64& rng) {
  cv::Mat f;
  image.convertTo(f, CV_32F);
  int order[3] = {0, 1, 2};
  std::shuffle(order, order + 3, rng);
  for (int which : order) {
    const double factor = uniform(rng, std::max(0.0, 1 - strength), 1 + strength);
    if (which == 0) {
      f *= factor;
    } else if (which == 1) {
      cv::Mat grey;
      if (f.channels() == 3) cv::cvtColor(f, grey, cv::COLOR_BGR2GRAY);
      else grey = f;
      const double mean = cv::mean(grey)[0];
      f = (f - cv::Scalar::all(mean)) * factor + cv::Scalar::all(mean);
    } else if (f.channels() == 3) {
      cv::Mat grey, grey3;
      cv::cvtColor(f, grey, cv::COLOR_BGR2GRAY);
      cv::cvtColor(grey, grey3, cv::COLOR_GRAY2BGR);
      f = grey3 + (f - grey3) * factor;
    }
  }
  f.convertTo(image, CV_8U);  // saturates to 0..255
}

}  // namespace

cv::Mat fitImage(const cv::Mat& image, const ImageShape& shape) {
  if (image.empty()) return {};
  cv::Mat source = toChannels(image, shape.channels);
  const int size = shape.size;
  if (!shape.pad) {
    // The centre square first, then scaled: the picture that scaling then
    // cropping gives, without first scaling a long strip (a 1 x 100000
    // picture) up to a matrix of gigabytes (found reviewing fuzz_image).
    const int side = std::min(source.cols, source.rows);
    cv::Mat square = source(cv::Rect((source.cols - side) / 2, (source.rows - side) / 2, side, side));
    cv::Mat out;
    if (side == size) return square.clone();
    cv::resize(square, out, cv::Size(size, size), 0, 0, side > size ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
  }
  const double scale = size / static_cast<double>(std::max(source.cols, source.rows));
  const int w = std::max(1, static_cast<int>(std::lround(source.cols * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(source.rows * scale)));
  cv::Mat resized;
  if (w == source.cols && h == source.rows) {
    resized = source.clone();
  } else {
    cv::resize(source, resized, cv::Size(w, h), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  const int top = (size - std::min(h, size)) / 2, left = (size - std::min(w, size)) / 2;
  cv::Mat out;
  cv::copyMakeBorder(resized, out, top, size - std::min(h, size) - top, left,
                     size - std::min(w, size) - left, cv::BORDER_CONSTANT, borderColour(resized));
  return out(cv::Rect(0, 0, size, size)).clone();
}

cv::Mat augmentImage(const cv::Mat& fitted, const ImageShape& shape, const ImageAugment& augment,
                     std::mt19937_64& rng) {
  const int size = shape.size;
  // A fresh matrix: writing into one that shares `fitted`'s pixels would
  // change the cached picture itself.
  cv::Mat view;
  if (augment.cropScaleMin < 1) {
    // torchvision's RandomResizedCrop: up to 10 tries for a box that fits,
    // then the whole image.
    cv::Rect box(0, 0, fitted.cols, fitted.rows);
    const double area = static_cast<double>(fitted.cols) * fitted.rows;
    for (int attempt = 0; attempt < 10; ++attempt) {
      const double target = area * uniform(rng, augment.cropScaleMin, 1.0);
      const double ratio = std::exp(uniform(rng, std::log(3.0 / 4), std::log(4.0 / 3)));
      const int w = static_cast<int>(std::lround(std::sqrt(target * ratio)));
      const int h = static_cast<int>(std::lround(std::sqrt(target / ratio)));
      if (w < 1 || h < 1 || w > fitted.cols || h > fitted.rows) continue;
      const int x = std::uniform_int_distribution<int>(0, fitted.cols - w)(rng);
      const int y = std::uniform_int_distribution<int>(0, fitted.rows - h)(rng);
      box = cv::Rect(x, y, w, h);
      break;
    }
    cv::resize(fitted(box), view, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
  } else {
    view = fitted.clone();
  }
  if (chance(rng, augment.flip)) cv::flip(view, view, 1);
  if (augment.colourJitter > 0) jitterColour(view, augment.colourJitter, rng);
  if (view.channels() == 3 && chance(rng, augment.grayscale)) {
    cv::Mat grey;
    cv::cvtColor(view, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, view, cv::COLOR_GRAY2BGR);
  }
  if (chance(rng, augment.blur)) {
    const double sigma = uniform(rng, 0.1, std::max(0.2, size / 32.0));
    cv::GaussianBlur(view, view, cv::Size(0, 0), sigma);
  }
  return view;
}

void writeNormalised(const cv::Mat& image, float* out) {
  const int channels = image.channels();
  const int plane = image.rows * image.cols;
  for (int y = 0; y < image.rows; ++y) {
    const uint8_t* row = image.ptr<uint8_t>(y);
    for (int x = 0; x < image.cols; ++x) {
      for (int c = 0; c < channels; ++c) {
        out[c * plane + y * image.cols + x] = row[x * channels + c] / 127.5f - 1.0f;
      }
    }
  }
}

cv::Mat fromNormalised(const float* data, int channels, int size) {
  cv::Mat out(size, size, channels == 1 ? CV_8UC1 : CV_8UC3);
  const int plane = size * size;
  for (int y = 0; y < size; ++y) {
    uint8_t* row = out.ptr<uint8_t>(y);
    for (int x = 0; x < size; ++x) {
      for (int c = 0; c < channels; ++c) {
        const float v = (data[c * plane + y * size + x] + 1.0f) * 127.5f;
        row[x * channels + c] = static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
      }
    }
  }
  return out;
}

}  // namespace pl
