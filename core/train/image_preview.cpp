#include "train/image_preview.h"

#include "image/image_transforms.h"
#include "model/image_encoder.h"
#include "model/product_model.h"

namespace pl {

namespace {

torch::Tensor asTensor(const cv::Mat& picture, int channels, int size) {
  auto t = torch::empty({1, channels, size, size}, torch::kFloat32);
  writeNormalised(picture, t.data_ptr<float>());
  return t;
}

cv::Mat asPicture(const torch::Tensor& t) {
  auto c = t.contiguous();
  return fromNormalised(c.data_ptr<float>(), static_cast<int>(c.size(1)), static_cast<int>(c.size(2)));
}

// [1,P,C*p*p] patches back to [1,C,S,S] (inverse of patchify).
torch::Tensor unpatchify(const torch::Tensor& patches, int channels, int size, int p) {
  const int side = size / p;
  return patches.view({1, side, side, channels, p, p}).permute({0, 3, 1, 4, 2, 5}).reshape({1, channels, size, size});
}

torch::Tensor maskFor(const RunConfig& config, uint64_t seed, size_t position) {
  torch::Generator g = at::detail::createCPUGenerator(seed + position);
  const int64_t side = config.image.size / config.patchSize;
  return randomPatchMask(1, side * side, config.imageMaskRate, g);
}

}  // namespace

ImagePreview previewImageViews(ProductImages& images, const std::vector<int64_t>& productIds,
                               const std::vector<int32_t>& items, const RunConfig& config, uint64_t seed) {
  ImagePreview preview;
  const int channels = config.image.channels, size = config.image.size;
  std::vector<float> views(2 * static_cast<size_t>(images.pictureFloats()));
  uint8_t present[2] = {0, 0};
  for (size_t k = 0; k < items.size(); ++k) {
    ImagePreviewItem item;
    item.fitted = images.fitted(static_cast<size_t>(items[k]));
    if (item.fitted.empty()) continue;
    item.productId = productIds[static_cast<size_t>(items[k])];
    std::vector<int32_t> twice{items[k], items[k]};
    images.fill(twice, &config.augment, seed + k, views.data(), present, 1);
    item.viewA = fromNormalised(views.data(), channels, size);
    item.viewB = fromNormalised(views.data() + images.pictureFloats(), channels, size);
    if (config.uses("mim")) {
      auto pixels = asTensor(item.fitted, channels, size);
      auto hidden = patchify(torch::zeros_like(pixels), config.patchSize);
      auto mask = maskFor(config, seed, preview.items.size()).unsqueeze(2).to(torch::kFloat32);
      auto patches = patchify(pixels, config.patchSize) * (1 - mask) + hidden * mask;
      item.masked = asPicture(unpatchify(patches, channels, size, config.patchSize));
    }
    preview.items.push_back(std::move(item));
  }
  return preview;
}

void addReconstructions(ImagePreview& preview, ProductModelImpl& model, const RunConfig& config, uint64_t seed) {
  if (!config.uses("mim") || !model.hasImage()) return;
  const bool wasTraining = model.is_training();
  model.eval();
  torch::NoGradGuard noGrad;
  const int channels = config.image.channels, size = config.image.size, p = config.patchSize;
  for (size_t k = 0; k < preview.items.size(); ++k) {
    ImagePreviewItem& item = preview.items[k];
    auto pixels = asTensor(item.fitted, channels, size);
    auto mask = maskFor(config, seed, k);
    auto predicted = model.image().reconstruct(pixels, mask);
    // The loss compares normalised patches; show them in the picture's own
    // brightness and contrast (MAE's figures do the same).
    auto target = patchify(pixels, p);
    auto mean = target.mean(-1, true);
    auto spread = (target.var(-1, false, true) + 1e-6).sqrt();
    auto hidden = mask.unsqueeze(2).to(torch::kFloat32);
    auto patches = target * (1 - hidden) + (predicted * spread + mean).clamp(-1, 1) * hidden;
    item.reconstruction = asPicture(unpatchify(patches, channels, size, p));
  }
  if (wasTraining) model.train();
}

}  // namespace pl
