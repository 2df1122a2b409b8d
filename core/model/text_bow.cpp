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
  if (options.bigramBuckets > 0) {
    bigrams_ = register_module("bigrams", torch::nn::Embedding(options.bigramBuckets, options.dim));
    torch::NoGradGuard noGrad;
    torch::nn::init::normal_(bigrams_->weight, 0.0, 0.02);
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
  auto sum = (embedded * weights).sum(1);  // [B,D]
  auto count = weights.sum(1);
  if (bigrams_ && ids.size(1) > 1) {
    // A pair counts where both of its subwords are present: a dropped word
    // (a contrastive view) takes its pairs with it.
    auto left = ids.slice(1, 0, -1), right = ids.slice(1, 1);
    auto pairIds = (left * 1000003 + right).remainder(options_.bigramBuckets);
    auto pairWeights =
        mask.slice(1, 0, -1).logical_and(mask.slice(1, 1)).to(embedded.scalar_type()).unsqueeze(-1);
    sum = sum + (dropout_(bigrams_(pairIds)) * pairWeights).sum(1);
    count = count + pairWeights.sum(1);
  }
  auto mean = sum / count.clamp_min(1.0);  // [B,D]
  TextEncoding out;
  out.pooled = norm_(mean);
  // Each token sees the whole bag through the mean, so MLM on these states
  // learns which subwords go together even without attention.
  out.tokens = norm_(embedded + mean.unsqueeze(1));
  return out;
}

torch::Tensor TextBowImpl::tokenEmbeddingWeight() { return tokens_->weight; }

}  // namespace pl
