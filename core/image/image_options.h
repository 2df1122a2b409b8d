#pragma once
// How a run turns product images into model input: the size the encoder
// sees, how pictures of other shapes are fitted, and the random changes that
// make two contrastive views of one picture. Plain values (no OpenCV), so
// RunConfig can hold them.

namespace pl {

/// Preprocessing of every image (training, embedding, previews).
struct ImageShape {
  int size = 32;        ///< the encoder sees size x size pixels
  int channels = 3;     ///< 1: grey, 3: colour (BGR order, as OpenCV decodes)
  bool pad = true;      ///< keep the whole picture and pad (true) or centre-crop (false)
};

/// Augmentations of contrastive views (SimCLR's list, sized for small images).
/// Each probability or strength 0 turns that augmentation off.
struct ImageAugment {
  double cropScaleMin = 0.35;  ///< random resized crop: area share drawn from [min, 1]
  double flip = 0.5;           ///< probability of a horizontal flip
  double colourJitter = 0.4;   ///< brightness, contrast, saturation factors drawn from 1 +- this
  double grayscale = 0.2;      ///< probability of dropping colour
  double blur = 0.2;           ///< probability of a Gaussian blur
};

}  // namespace pl
