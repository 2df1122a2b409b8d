#include <torch/torch.h>

#include "model/text_encoder.h"

namespace pl {

TextBowImpl::TextBowImpl(const TextBowOptions& options) : options_(options) {
  tokens_ = register_module(
      "tokens", torch::nn::Embedding(
                    torch::nn::EmbeddingOptions(options.vocabSize, options.dim).padding_idx(
                        options.padId)));
  {
    torch::NoGradGuard noGrad;
    torch::nn::init::normal_(tokens_->weight, 0.0, 0.02);
    tokens_->weight[options.padId].zero_();
  }
  norm_ = register_module("norm",
                          torch::nn::LayerNorm(torch::nn::LayerNormOptions({options.dim})));
  dropout_ = register_module("dropout", torch::nn::Dropout(options.dropout));
}

TextEncoding TextBowImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask) {
  TORCH_CHECK(ids.dim() == 2 && mask.sizes() == ids.sizes(),
              "text-bow: ids and mask must both be [B,T]");
  auto embedded = dropout_(tokens_(ids));  // [B,T,D]
  auto weights = mask.to(embedded.scalar_type()).unsqueeze(-1);
  auto mean = (embedded * weights).sum(1) / weights.sum(1).clamp_min(1.0);  // [B,D]
  TextEncoding out;
  out.pooled = norm_(mean);
  // Each token sees the whole bag through the mean, so MLM on these states
  // learns which subwords go together even without attention.
  out.tokens = norm_(embedded + mean.unsqueeze(1));
  return out;
}

torch::Tensor TextBowImpl::tokenEmbeddingWeight() { return tokens_->weight; }

}  // namespace pl
