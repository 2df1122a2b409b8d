#include "model/image_encoder.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pl {

namespace nn = torch::nn;

namespace {

nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

/// conv-BN-ReLU-conv-BN plus a (projected) shortcut, then ReLU.
class ResidualBlockImpl : public nn::Module {
 public:
  ResidualBlockImpl(int64_t in, int64_t out, int64_t stride) {
    conv1_ = register_module("conv1", conv3x3(in, out, stride));
    bn1_ = register_module("bn1", nn::BatchNorm2d(out));
    conv2_ = register_module("conv2", conv3x3(out, out, 1));
    bn2_ = register_module("bn2", nn::BatchNorm2d(out));
    if (stride != 1 || in != out) {
      shortcut_ = register_module(
          "shortcut", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)),
                                     nn::BatchNorm2d(out)));
    }
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = torch::relu(bn1_(conv1_(x)));
    y = bn2_(conv2_(y));
    return torch::relu(y + (shortcut_ ? shortcut_->forward(x) : x));
  }

 private:
  nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  nn::Sequential shortcut_{nullptr};
};
TORCH_MODULE(ResidualBlock);

// [B,P] patch mask -> [B,1,S,S] pixel mask (1 at hidden pixels).
torch::Tensor pixelMask(const torch::Tensor& patchMask, int64_t size, int64_t patchSize) {
  const int64_t side = size / patchSize;
  auto grid = patchMask.to(torch::kFloat32).view({-1, 1, side, side});
  return grid.repeat_interleave(patchSize, 2).repeat_interleave(patchSize, 3);
}

}  // namespace

ImageCnnImpl::ImageCnnImpl(const ImageEncoderOptions& options) : options_(options) {
  const int64_t w = std::max<int64_t>(8, options.dim / 4);
  body_ = register_module(
      "body", nn::Sequential(conv3x3(options.channels, w, 2), nn::BatchNorm2d(w), nn::ReLU(),
                             ResidualBlock(w, w, 1), ResidualBlock(w, 2 * w, 2),
                             ResidualBlock(2 * w, options.dim, 2)));
  if (options.reconstruction) {
    // Each cell of the stride-8 map predicts its 8 x 8 pixels (pixel shuffle).
    pixels_ = register_module("pixels", nn::Conv2d(nn::Conv2dOptions(options.dim, options.channels * 64, 1)));
    maskColour_ = register_parameter("mask_colour", torch::zeros({1, options.channels, 1, 1}));
  }
}

torch::Tensor ImageCnnImpl::features(const torch::Tensor& images) { return body_->forward(images); }

torch::Tensor ImageCnnImpl::forward(const torch::Tensor& images) {
  return features(images).mean({2, 3});
}

torch::Tensor ImageCnnImpl::reconstruct(const torch::Tensor& images, const torch::Tensor& patchMask) {
  if (!pixels_) throw std::logic_error("image-cnn was built without its reconstruction head");
  auto hidden = pixelMask(patchMask, images.size(2), options_.patchSize);
  auto input = images * (1 - hidden) + maskColour_ * hidden;
  auto predicted = torch::pixel_shuffle(pixels_(features(input)), 8);  // [B,C,S,S]
  return patchify(predicted, options_.patchSize);
}

ImageVitImpl::ImageVitImpl(const ImageEncoderOptions& options) : options_(options) {
  const int64_t patches = (options.size / options.patchSize) * (options.size / options.patchSize);
  patchEmbed_ = register_module(
      "patch_embed", nn::Conv2d(nn::Conv2dOptions(options.channels, options.dim, options.patchSize)
                                    .stride(options.patchSize)));
  positions_ = register_parameter("positions", torch::randn({1, patches, options.dim}) * 0.02);
  blocks_ = register_module("blocks", nn::ModuleList());
  TransformerBlockOptions b;
  b.dim = options.dim;
  b.heads = options.heads;
  b.dropout = options.dropout;
  for (int64_t i = 0; i < options.layers; ++i) blocks_->push_back(TransformerBlock(b));
  norm_ = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({options.dim})));
  if (options.reconstruction) {
    const int64_t decoderDim = std::max<int64_t>(32, options.dim / 2);
    decoderIn_ = register_module("decoder_in", nn::Linear(options.dim, decoderDim));
    maskToken_ = register_parameter("mask_token", torch::randn({1, 1, decoderDim}) * 0.02);
    decoderPositions_ = register_parameter("decoder_positions", torch::randn({1, patches, decoderDim}) * 0.02);
    TransformerBlockOptions d;
    d.dim = decoderDim;
    d.heads = std::max<int64_t>(1, decoderDim / 32);
    d.dropout = 0;
    decoderBlock_ = register_module("decoder_block", TransformerBlock(d));
    decoderNorm_ = register_module("decoder_norm", nn::LayerNorm(nn::LayerNormOptions({decoderDim})));
    decoderOut_ = register_module(
        "decoder_out", nn::Linear(decoderDim, options.channels * options.patchSize * options.patchSize));
  }
}

torch::Tensor ImageVitImpl::encode(const torch::Tensor& tokens) {
  auto x = tokens;
  for (const auto& block : *blocks_) x = block->as<TransformerBlockImpl>()->forward(x, torch::Tensor());
  return norm_(x);
}

torch::Tensor ImageVitImpl::forward(const torch::Tensor& images) {
  auto tokens = patchEmbed_(images).flatten(2).transpose(1, 2) + positions_;
  return encode(fastDropout(tokens, options_.dropout, is_training())).mean(1);
}

torch::Tensor ImageVitImpl::reconstruct(const torch::Tensor& images, const torch::Tensor& patchMask) {
  if (!decoderIn_) throw std::logic_error("image-vit was built without its reconstruction decoder");
  const int64_t b = images.size(0), patches = patchMask.size(1);
  auto tokens = patchEmbed_(images).flatten(2).transpose(1, 2) + positions_;  // [B,P,D]
  // Every row hides the same number of patches, so the visible ones form a
  // dense [B,V,D] block (nonzero lists them row by row, in patch order).
  auto visibleIndex = (~patchMask).nonzero().select(1, 1).view({b, -1});
  const int64_t visible = visibleIndex.size(1);
  auto gathered = tokens.gather(1, visibleIndex.unsqueeze(2).expand({b, visible, tokens.size(2)}));
  auto encoded = decoderIn_(encode(gathered));  // [B,V,Dd]
  auto full = maskToken_.expand({b, patches, encoded.size(2)}).clone();
  full = full.scatter(1, visibleIndex.unsqueeze(2).expand({b, visible, encoded.size(2)}), encoded);
  auto decoded = decoderBlock_->forward(full + decoderPositions_, torch::Tensor());
  return decoderOut_(decoderNorm_(decoded));
}

std::shared_ptr<ImageEncoderImpl> makeImageEncoder(const std::string& name, const ImageEncoderOptions& options) {
  if (name == "image-vit") return std::make_shared<ImageVitImpl>(options);
  return std::make_shared<ImageCnnImpl>(options);
}

torch::Tensor patchify(const torch::Tensor& images, int64_t p) {
  const int64_t b = images.size(0), c = images.size(1), side = images.size(2) / p;
  return images.view({b, c, side, p, side, p}).permute({0, 2, 4, 1, 3, 5}).reshape({b, side * side, c * p * p});
}

torch::Tensor randomPatchMask(int64_t batch, int64_t patches, double rate, torch::Generator& generator) {
  const int64_t hidden =
      std::clamp<int64_t>(static_cast<int64_t>(std::lround(rate * patches)), 1, std::max<int64_t>(1, patches - 1));
  auto noise = torch::rand({batch, patches}, generator);
  auto order = noise.argsort(/*dim=*/int64_t{1});
  auto mask = torch::zeros({batch, patches}, torch::kBool);
  return mask.scatter(1, order.slice(1, 0, hidden), true);
}

torch::Tensor maskedPixelLoss(const torch::Tensor& predicted, const torch::Tensor& images,
                              const torch::Tensor& patchMask, int64_t patchSize) {
  auto target = patchify(images, patchSize);
  auto mean = target.mean(-1, true);
  auto var = target.var(-1, false, true);
  target = (target - mean) / (var + 1e-6).sqrt();
  auto perPatch = (predicted - target).pow(2).mean(-1);  // [B,P]
  auto weights = patchMask.to(torch::kFloat32);
  return (perPatch * weights).sum() / weights.sum().clamp_min(1);
}

}  // namespace pl
