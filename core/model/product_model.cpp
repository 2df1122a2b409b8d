#include "model/product_model.h"

#include <algorithm>

namespace pl {

AttributeEncoderImpl::AttributeEncoderImpl(const std::vector<int64_t>& cardinalities, int64_t dim)
    : dim_(dim) {
  tables_ = register_module("tables", torch::nn::ModuleList());
  for (int64_t n : cardinalities) tables_->push_back(torch::nn::Embedding(std::max<int64_t>(n, 2), dim));
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
}

torch::Tensor AttributeEncoderImpl::forward(const torch::Tensor& codes) {
  std::vector<torch::Tensor> parts;
  for (size_t k = 0; k < tables_->size(); ++k) {
    parts.push_back(tables_[k]->as<torch::nn::Embedding>()->forward(codes.select(1, static_cast<int64_t>(k))));
  }
  return norm_(torch::stack(parts, 0).mean(0));
}

FusionHeadImpl::FusionHeadImpl(int64_t inputDim, int64_t outputDim) {
  project_ = register_module("project", torch::nn::Linear(inputDim, outputDim));
}

torch::Tensor FusionHeadImpl::forward(const std::vector<torch::Tensor>& modalities) {
  return project_(modalities.size() == 1 ? modalities[0] : torch::cat(modalities, 1));
}

ProductModelImpl::ProductModelImpl(const RunConfig& config,
                                   const std::vector<int64_t>& attributeCardinalities,
                                   int64_t vocabSize) {
  int64_t fusedInput = 0;
  if (!config.textInputs().empty()) {
    if (config.encoder == "text-bow") {
      TextBowOptions o;
      o.vocabSize = vocabSize;
      o.dim = config.dim;
      o.dropout = config.dropout;
      text_ = std::make_shared<TextBowImpl>(o);
    } else {
      TextTransformerOptions o;
      o.vocabSize = vocabSize;
      o.dim = config.dim;
      o.layers = config.layers;
      o.heads = config.heads;
      o.maxLength = config.maxLength;
      o.dropout = config.dropout;
      o.pooling = config.pooling == "cls" ? Pooling::Cls : Pooling::Mean;
      text_ = std::make_shared<TextTransformerImpl>(o);
    }
    register_module("text", text_);
    fusedInput += config.dim;
    mlmHead_ = register_module("mlm_head", MlmHead(config.dim, vocabSize));
  }
  if (config.usesImages()) {
    ImageEncoderOptions o;
    o.channels = config.image.channels;
    o.size = config.image.size;
    o.dim = config.dim;
    o.patchSize = config.patchSize;
    o.layers = config.layers;
    o.heads = config.heads;
    o.dropout = config.dropout;
    o.reconstruction = config.uses("mim");
    image_ = makeImageEncoder(config.imageEncoder, o);
    register_module("image", image_);
    missingImage_ = register_parameter("missing_image", torch::zeros({config.dim}));
    fusedInput += config.dim;
  }
  if (!attributeCardinalities.empty()) {
    attributes_ = register_module("attributes", AttributeEncoder(attributeCardinalities, config.dim));
    fusedInput += config.dim;
  }
  fusion_ = register_module("fusion", FusionHead(fusedInput, config.embeddingDim));
  auto inputs = config.attributeInputs();
  auto targets = config.effectiveAttrTargets();
  attrHeads_.resize(inputs.size(), torch::nn::Linear(nullptr));
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!config.uses("attr") || std::find(targets.begin(), targets.end(), inputs[k]) == targets.end()) {
      continue;
    }
    attrHeads_[k] = register_module("attr_head_" + std::to_string(k),
                                    torch::nn::Linear(config.embeddingDim, attributeCardinalities[k]));
  }
}

ProductForward ProductModelImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask,
                                         const torch::Tensor& attributes, const torch::Tensor& images,
                                         const torch::Tensor& imagePresent) {
  ProductForward out;
  std::vector<torch::Tensor> modalities;
  if (text_) {
    out.text = text_->forward(ids, mask);
    modalities.push_back(out.text.pooled);
  }
  if (image_) {
    const int64_t rows = ids.size(0);
    out.imagePresent = imagePresent.defined() ? imagePresent : torch::zeros({rows}, torch::kBool);
    // Only rows with a picture go through the encoder (most catalogs have
    // pictures for some products only); the rest take the learned vector.
    auto present = out.imagePresent.nonzero().squeeze(1);
    out.image = missingImage_.unsqueeze(0).expand({rows, missingImage_.size(0)});
    if (present.numel() > 0) {
      auto encoded = image_->forward(images.index_select(0, present));
      out.image = out.image.index_copy(0, present, encoded);
    }
    modalities.push_back(out.image);
  }
  if (attributes_) modalities.push_back(attributes_->forward(attributes));
  out.hidden = fusion_->forward(modalities);
  out.embedding = torch::nn::functional::normalize(
      out.hidden, torch::nn::functional::NormalizeFuncOptions().dim(1).eps(1e-8));
  return out;
}

}  // namespace pl
