#include <torch/torch.h>

#include "model/text_encoder.h"
#include "model/transformer_block.h"

namespace pl {

namespace {

// Masked mean over real tokens; an all-padding row gives zeros, not NaN.
torch::Tensor maskedMean(const torch::Tensor& states, const torch::Tensor& mask) {
  auto weights = mask.to(states.scalar_type()).unsqueeze(-1);  // [B,T,1]
  auto counts = weights.sum(1).clamp_min(1.0);                 // [B,1]
  return (states * weights).sum(1) / counts;
}

}  // namespace

TextTransformerImpl::TextTransformerImpl(const TextTransformerOptions& options)
    : options_(options) {
  TORCH_CHECK(options.dim % options.heads == 0, "text-transformer: dim ", options.dim,
              " must be divisible by heads ", options.heads);
  tokens_ = register_module(
      "tokens", torch::nn::Embedding(
                    torch::nn::EmbeddingOptions(options.vocabSize, options.dim).padding_idx(
                        options.padId)));
  positions_ =
      register_module("positions", torch::nn::Embedding(options.maxLength, options.dim));
  // BERT-style small init: N(0, 0.02) keeps the tied output logits near zero
  // at the start, so the first MLM loss is close to log(V).
  {
    torch::NoGradGuard noGrad;
    torch::nn::init::normal_(tokens_->weight, 0.0, 0.02);
    tokens_->weight[options.padId].zero_();
    torch::nn::init::normal_(positions_->weight, 0.0, 0.02);
  }
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  TransformerBlockOptions block;
  block.dim = options.dim;
  block.heads = options.heads;
  block.dropout = options.dropout;
  for (int64_t i = 0; i < options.layers; ++i) blocks_->push_back(TransformerBlock(block));
  finalNorm_ = register_module("final_norm",
                               torch::nn::LayerNorm(torch::nn::LayerNormOptions({options.dim})));
  dropout_ = register_module("dropout", torch::nn::Dropout(options.dropout));
}

TextEncoding TextTransformerImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask) {
  TORCH_CHECK(ids.dim() == 2 && mask.sizes() == ids.sizes(),
              "text-transformer: ids and mask must both be [B,T]");
  const int64_t length = ids.size(1);
  TORCH_CHECK(length <= options_.maxLength, "text-transformer: sequence length ", length,
              " exceeds maxLength ", options_.maxLength);
  auto positionIds = torch::arange(length, ids.options());
  auto x = fastDropout(tokens_(ids) + positions_(positionIds).unsqueeze(0), options_.dropout,
                       is_training());
  auto bias = attentionPaddingBias(mask, options_.heads);
  for (auto& module : *blocks_) x = module->as<TransformerBlockImpl>()->forward(x, bias);
  x = finalNorm_(x);
  TextEncoding out;
  out.tokens = x;
  // CLS pooling expects the caller (the tokenizer's batcher) to put the cls
  // token at position 0.
  out.pooled = options_.pooling == Pooling::Cls ? x.select(1, 0) : maskedMean(x, mask);
  return out;
}

torch::Tensor TextTransformerImpl::tokenEmbeddingWeight() { return tokens_->weight; }

}  // namespace pl
