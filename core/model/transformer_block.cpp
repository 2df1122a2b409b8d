#include "model/transformer_block.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>

namespace pl {

namespace {

// splitmix64's finaliser: a good 64-bit mix of a counter, two 32-bit draws.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t nextSeed() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
}

}  // namespace

torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  if (p >= 1.0) return x * 0.0;
  if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat) {
    return torch::dropout(x, p, /*train=*/true);
  }
  auto mask = torch::empty(x.sizes(), x.options().requires_grad(false));
  float* out = mask.data_ptr<float>();
  const int64_t n = mask.numel();
  const uint64_t seed = nextSeed() * 0x9e3779b97f4a7c15ULL;
  const auto threshold = static_cast<uint32_t>(p * 4294967296.0);
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  const int64_t pairs = (n + 1) / 2;
  at::parallel_for(0, pairs, 1 << 13, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const uint64_t r = mix64(seed + static_cast<uint64_t>(i));
      out[2 * i] = static_cast<uint32_t>(r) >= threshold ? scale : 0.0f;
      if (2 * i + 1 < n) out[2 * i + 1] = static_cast<uint32_t>(r >> 32) >= threshold ? scale : 0.0f;
    }
  });
  return x * mask;
}

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
  weights = fastDropout(weights, options_.dropout, is_training());
  auto context = torch::bmm(weights, v);  // [B*H, T, hd]
  context = context.view({batch, heads, length, headDim}).transpose(1, 2).reshape(
      {batch, length, options_.dim});
  return out_(context);
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
  const bool train = is_training();
  auto h = x + fastDropout(attention(norm1_(x), bias), options_.dropout, train);
  auto f = fastDropout(torch::gelu(ffnIn_(norm2_(h))), options_.dropout, train);
  return h + fastDropout(ffnOut_(f), options_.dropout, train);
}

}  // namespace pl
