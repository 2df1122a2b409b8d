#pragma once
// The whole pretraining model: a text encoder, an attribute encoder and a
// fusion head that give one L2-normalised product vector, plus the heads the
// objectives need (MLM, one classifier per attr target). The picture joins
// through the image encoder; a product without one gets a learned "no
// picture" vector in its place, so every product has a vector.

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "model/image_encoder.h"
#include "model/text_encoder.h"
#include "train/run_config.h"

namespace pl {

/// Brand, category, price bucket and other categorical inputs: one embedding
/// table per column, averaged, then LayerNorm.
class AttributeEncoderImpl : public torch::nn::Module {
 public:
  AttributeEncoderImpl(const std::vector<int64_t>& cardinalities, int64_t dim);
  /// codes [B,A] int64 -> [B,dim]
  torch::Tensor forward(const torch::Tensor& codes);
  int64_t dim() const { return dim_; }

 private:
  int64_t dim_;
  torch::nn::ModuleList tables_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
};
TORCH_MODULE(AttributeEncoder);

/// Concatenates modality vectors and projects them to the product space.
class FusionHeadImpl : public torch::nn::Module {
 public:
  FusionHeadImpl(int64_t inputDim, int64_t outputDim);
  /// Returns the un-normalised fused vector [B,outputDim].
  torch::Tensor forward(const std::vector<torch::Tensor>& modalities);

 private:
  torch::nn::Linear project_{nullptr};
};
TORCH_MODULE(FusionHead);

/// What one forward pass yields.
struct ProductForward {
  TextEncoding text;       ///< undefined tensors when the run has no text input
  torch::Tensor image;     ///< [B,D] image vectors (the "no picture" vector where absent); or undefined
  torch::Tensor imagePresent;  ///< [B] bool: rows whose image vector came from a picture
  torch::Tensor hidden;    ///< [B,E] fused, before normalisation (attr heads read this)
  torch::Tensor embedding; ///< [B,E] L2-normalised product vector
};

class ProductModelImpl : public torch::nn::Module {
 public:
  /// `attributeCardinalities`: vocabulary size of each attribute input, in
  /// RunConfig::attributeInputs() order. `vocabSize`: the tokenizer's.
  ProductModelImpl(const RunConfig& config, const std::vector<int64_t>& attributeCardinalities,
                   int64_t vocabSize);

  /// `images` [B,C,S,S] and `imagePresent` [B] bool are read when the run
  /// has the image input (rows not present get the "no picture" vector).
  ProductForward forward(const torch::Tensor& ids, const torch::Tensor& mask,
                         const torch::Tensor& attributes, const torch::Tensor& images = {},
                         const torch::Tensor& imagePresent = {});

  bool hasText() const { return text_ != nullptr; }
  TextEncoderImpl& text() { return *text_; }
  bool hasImage() const { return image_ != nullptr; }
  ImageEncoderImpl& image() { return *image_; }
  /// Whether the fused vector has an input besides the picture.
  bool hasOtherThanImage() const { return text_ != nullptr || !attributes_.is_empty(); }
  MlmHead& mlmHead() { return mlmHead_; }
  /// Classifier over attribute `column`'s vocabulary (attr objective).
  torch::nn::Linear& attrHead(size_t column) { return attrHeads_.at(column); }
  bool hasAttrHead(size_t column) const {
    return column < attrHeads_.size() && !attrHeads_[column].is_empty();
  }

 private:
  std::shared_ptr<TextEncoderImpl> text_;
  std::shared_ptr<ImageEncoderImpl> image_;
  torch::Tensor missingImage_;  ///< [D] the "no picture" vector
  AttributeEncoder attributes_{nullptr};
  FusionHead fusion_{nullptr};
  MlmHead mlmHead_{nullptr};
  std::vector<torch::nn::Linear> attrHeads_;
};
TORCH_MODULE(ProductModel);

}  // namespace pl
