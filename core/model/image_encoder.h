#pragma once
// Image encoders (`image-cnn`, `image-vit`) and what masked image modelling
// needs: exact-rate patch masks, patchified pixel targets, and each
// encoder's reconstruction of the hidden patches. LibTorch style:
// XOptions + XImpl + TORCH_MODULE.

#include <torch/torch.h>

#include <memory>

#include "model/transformer_block.h"

namespace pl {

/// Settings shared by both image encoders.
struct ImageEncoderOptions {
  int64_t channels = 3;
  int64_t size = 32;       ///< input is size x size
  int64_t dim = 128;       ///< output vector (and ViT width)
  int64_t patchSize = 4;   ///< ViT patches and masked-image-modelling patches
  int64_t layers = 3;      ///< ViT blocks
  int64_t heads = 4;       ///< ViT heads
  double dropout = 0.1;
  bool reconstruction = false;  ///< build the masked-image-modelling decoder
};

/// Interface of every image encoder.
class ImageEncoderImpl : public torch::nn::Module {
 public:
  /// images [B,C,S,S] floats in [-1,1] -> [B,dim] product image vector.
  virtual torch::Tensor forward(const torch::Tensor& images) = 0;
  /// Masked image modelling: `patchMask` [B,P] bool, true at hidden patches
  /// (the same count in every row). Returns predicted pixels [B,P,C*p*p] of
  /// every patch; only the hidden ones are scored.
  virtual torch::Tensor reconstruct(const torch::Tensor& images, const torch::Tensor& patchMask) = 0;
  virtual int64_t dim() const = 0;
};

/// Small ResNet: a stride-2 stem and three residual stages (widths w, 2w, 4w
/// with 4w = dim; strides 1, 2, 2), global average pooling. Masked image
/// modelling as in SimMIM: hidden patches become a learned colour, and a 1x1
/// convolution on the last feature map predicts every pixel.
class ImageCnnImpl : public ImageEncoderImpl {
 public:
  explicit ImageCnnImpl(const ImageEncoderOptions& options);
  torch::Tensor forward(const torch::Tensor& images) override;
  torch::Tensor reconstruct(const torch::Tensor& images, const torch::Tensor& patchMask) override;
  int64_t dim() const override { return options_.dim; }

 private:
  torch::Tensor features(const torch::Tensor& images);  ///< last feature map [B,dim,S/8,S/8]

  ImageEncoderOptions options_;
  torch::nn::Sequential body_{nullptr};
  torch::nn::Conv2d pixels_{nullptr};  ///< reconstruction head
  torch::Tensor maskColour_;           ///< [1,C,1,1]
};
TORCH_MODULE(ImageCnn);

/// Vision Transformer: patch embedding (a p x p convolution with stride p),
/// learned positions, the text encoder's pre-LN blocks, final LN, mean
/// pooling. Masked image modelling as in MAE: the encoder sees only the
/// visible patches; a one-block decoder fills in mask tokens and predicts
/// each patch's pixels.
class ImageVitImpl : public ImageEncoderImpl {
 public:
  explicit ImageVitImpl(const ImageEncoderOptions& options);
  torch::Tensor forward(const torch::Tensor& images) override;
  torch::Tensor reconstruct(const torch::Tensor& images, const torch::Tensor& patchMask) override;
  int64_t dim() const override { return options_.dim; }

 private:
  torch::Tensor encode(const torch::Tensor& tokens);  ///< blocks + final LN

  ImageEncoderOptions options_;
  torch::nn::Conv2d patchEmbed_{nullptr};
  torch::Tensor positions_;  ///< [1,P,dim]
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
  // MAE decoder
  torch::nn::Linear decoderIn_{nullptr};
  torch::Tensor maskToken_, decoderPositions_;
  TransformerBlock decoderBlock_{nullptr};
  torch::nn::LayerNorm decoderNorm_{nullptr};
  torch::nn::Linear decoderOut_{nullptr};
};
TORCH_MODULE(ImageVit);

/// Builds the encoder a run names ("image-cnn" or "image-vit").
std::shared_ptr<ImageEncoderImpl> makeImageEncoder(const std::string& name, const ImageEncoderOptions& options);

/// [B,C,S,S] -> [B,P,C*p*p], patches in row-major order.
torch::Tensor patchify(const torch::Tensor& images, int64_t patchSize);

/// A [B,P] bool mask with exactly round(rate x P) hidden patches per row
/// (at least one, at most P - 1), chosen uniformly.
torch::Tensor randomPatchMask(int64_t batch, int64_t patches, double rate, torch::Generator& generator);

/// Mean squared error over the hidden patches, each target patch normalised
/// to zero mean and unit variance first (MAE's normalised-pixel loss).
torch::Tensor maskedPixelLoss(const torch::Tensor& predicted, const torch::Tensor& images,
                              const torch::Tensor& patchMask, int64_t patchSize);

}  // namespace pl
