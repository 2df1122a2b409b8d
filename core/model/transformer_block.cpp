#include "model/transformer_block.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace pl {

torch::Tensor attentionPaddingBias(const torch::Tensor& mask, int64_t heads) {
  // One host sync per batch is far cheaper than a [B*H,T,T] add in every
  // layer's forward and backward when nothing is padded (the common case
  // with length bucketing and in the benchmark).
  if (mask.all().item<bool>()) return {};
  const int64_t batch = mask.size(0);
  const int64_t length = mask.size(1);
  auto keep = mask.logical_or(mask.logical_not().all(1, /*keepdim=*/true));
  auto bias = torch::zeros({batch, 1, 1, length}, torch::kFloat)
                  .masked_fill_(keep.logical_not().view({batch, 1, 1, length}),
                                -std::numeric_limits<float>::infinity());
  return bias.expand({batch, heads, length, length}).reshape({batch * heads, length, length});
}

TransformerBlockImpl::TransformerBlockImpl(const TransformerBlockOptions& options)
    : options_(options) {
  TORCH_CHECK(options.dim % options.heads == 0, "dim ", options.dim,
              " must be divisible by heads ", options.heads);
  const int64_t d = options.dim;
  norm1_ = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  qkv_ = register_module("qkv", torch::nn::Linear(d, 3 * d));
  out_ = register_module("out", torch::nn::Linear(d, d));
  norm2_ = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  ffnIn_ = register_module("ffn_in", torch::nn::Linear(d, options.ffnMultiplier * d));
  ffnOut_ = register_module("ffn_out", torch::nn::Linear(options.ffnMultiplier * d, d));
}

torch::Tensor TransformerBlockImpl::attention(const torch::Tensor& x, const torch::Tensor& bias) {
  const int64_t batch = x.size(0);
  const int64_t length = x.size(1);
  const int64_t heads = options_.heads;
  const int64_t headDim = options_.dim / heads;
  // [B,T,3D] -> [3, B*H, T, hd]: one GEMM for all three projections, then a
  // single permute+copy instead of three.
  auto qkv = qkv_(x).view({batch, length, 3, heads, headDim}).permute({2, 0, 3, 1, 4});
  qkv = qkv.reshape({3, batch * heads, length, headDim});
  // unbind, not three selects: its backward is one stack, not three
  // zero-filled full-size buffers.
  auto parts = qkv.unbind(0);
  const auto& q = parts[0];
  const auto& k = parts[1];
  const auto& v = parts[2];
  const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  torch::Tensor scores;
  if (bias.defined()) {
    scores = torch::baddbmm(bias, q, k.transpose(1, 2), /*beta=*/1.0, /*alpha=*/scale);
  } else {
    scores = torch::bmm(q, k.transpose(1, 2)).mul_(scale);
  }
  auto weights = torch::softmax(scores, -1);
  weights = torch::dropout(weights, options_.dropout, is_training());
  auto context = torch::bmm(weights, v);  // [B*H, T, hd]
  context = context.view({batch, heads, length, headDim}).transpose(1, 2).reshape(
      {batch, length, options_.dim});
  return out_(context);
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
  const bool train = is_training();
  auto h = x + torch::dropout(attention(norm1_(x), bias), options_.dropout, train);
  auto f = torch::dropout(torch::gelu(ffnIn_(norm2_(h))), options_.dropout, train);
  return h + torch::dropout(ffnOut_(f), options_.dropout, train);
}

}  // namespace pl
