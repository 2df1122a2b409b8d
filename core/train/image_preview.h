#pragma once
// A few products' pictures as a run sees them, for the Pretrain page: the
// fitted picture, two contrastive views, and (mim) the masked input with the
// model's reconstruction. Sent during training as a JobContext::partial
// (std::shared_ptr<const ImagePreview>) and drawn before it from the
// settings alone.

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "image/product_images.h"
#include "train/run_config.h"

// No LibTorch here: the GUI includes this header next to Qt's.
namespace pl {

class ProductModelImpl;

/// One product's pictures; 8-bit, the run's channels, size x size.
struct ImagePreviewItem {
  int64_t productId = 0;
  cv::Mat fitted, viewA, viewB;
  cv::Mat masked;          ///< hidden patches grey; empty without mim
  cv::Mat reconstruction;  ///< visible patches as given, hidden ones predicted; empty without a model
};

struct ImagePreview {
  int64_t step = -1;  ///< training step, -1 before training
  std::vector<ImagePreviewItem> items;
};

/// Fitted pictures and two views of `items` (indices into `images`; those
/// without a readable picture are skipped), drawn from `seed`. With mim in
/// the config, also the masked inputs (the same masks a model would get).
ImagePreview previewImageViews(ProductImages& images, const std::vector<int64_t>& productIds,
                               const std::vector<int32_t>& items, const RunConfig& config, uint64_t seed);

/// Fills in the reconstructions of `preview`'s masked inputs (no gradient;
/// the model's train/eval mode is restored).
void addReconstructions(ImagePreview& preview, ProductModelImpl& model, const RunConfig& config, uint64_t seed);

}  // namespace pl
