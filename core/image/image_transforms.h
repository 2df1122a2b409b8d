#pragma once
// Image preprocessing and augmentation on OpenCV matrices: fit any picture to
// the encoder's square input, draw random contrastive views, and convert to
// and from the normalised floats the model reads. Pure functions of their
// inputs (and of the random generator's state), so views are reproducible.

#include <opencv2/core.hpp>
#include <random>

#include "image/image_options.h"

namespace pl {

/// Converts to `shape.channels` (grey <-> BGR, alpha dropped; 16-bit scaled
/// to 8) and fits it to size x size: scaled so the longer side fits and padded
/// with the mean colour of its border (`pad`), or scaled so the shorter side
/// fits and centre-cropped. Returns an empty matrix for an empty input.
cv::Mat fitImage(const cv::Mat& image, const ImageShape& shape);

/// One random view of a fitted image: a random resized crop (area share in
/// [cropScaleMin, 1], aspect ratio in [3/4, 4/3]) scaled back to size x size,
/// then flip, colour jitter, grayscale and blur, each with its probability.
/// The same generator state gives the same view.
cv::Mat augmentImage(const cv::Mat& fitted, const ImageShape& shape, const ImageAugment& augment,
                     std::mt19937_64& rng);

/// Writes a fitted 8-bit image as channels x size x size floats in [-1, 1]
/// (planar, channel-major: what a convolution reads).
void writeNormalised(const cv::Mat& image, float* out);

/// Inverse of writeNormalised, clamped to 0..255 (previews, reconstructions).
cv::Mat fromNormalised(const float* data, int channels, int size);

}  // namespace pl
