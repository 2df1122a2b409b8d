#pragma once
// One pre-LN Transformer encoder block, shared by the text encoder (and later
// the image ViT). Written for CPU training speed: one fused QKV projection,
// batched matmuls with the scale folded into baddbmm, and one additive
// padding bias built once per batch and reused by every block.

#include <torch/torch.h>

namespace pl {

/// Settings of one encoder block.
struct TransformerBlockOptions {
  int64_t dim = 256;
  int64_t heads = 4;
  int64_t ffnMultiplier = 4;
  double dropout = 0.1;
};

/// Dropout with the same semantics as torch::dropout (inverted scaling), but
/// its mask comes from a counter-based hash run in parallel: LibTorch's CPU
/// bernoulli_ draws one number at a time on one thread and was 7% of a
/// training step. Seeded from the default generator, so torch::manual_seed
/// still makes runs repeatable (for any thread count).
torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training);

/// Builds the additive attention bias for a batch: [B*heads, T, T] float,
/// 0 where a key is a real token, -inf at padding keys. Rows with no real
/// token at all attend to everything instead (their output is ignored by
/// pooling, but -inf everywhere would turn them into NaN that leaks into
/// gradients). Returns an undefined tensor when the batch has no padding, so
/// the blocks skip the add altogether.
torch::Tensor attentionPaddingBias(const torch::Tensor& mask, int64_t heads);

/// x + Dropout(SelfAttention(LN(x))), then x + Dropout(FFN(LN(x))) with
/// FFN = Linear(dim, m*dim) -> GELU -> Dropout -> Linear(m*dim, dim). Dropout
/// sits where torch.nn.TransformerEncoderLayer puts it (attention weights
/// included), so the two are the same model.
class TransformerBlockImpl : public torch::nn::Module {
 public:
  explicit TransformerBlockImpl(const TransformerBlockOptions& options);
  /// x [B,T,D]; bias from attentionPaddingBias() or undefined (no padding).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias);

 private:
  torch::Tensor attention(const torch::Tensor& x, const torch::Tensor& bias);

  TransformerBlockOptions options_;
  torch::nn::LayerNorm norm1_{nullptr};
  torch::nn::Linear qkv_{nullptr};
  torch::nn::Linear out_{nullptr};
  torch::nn::LayerNorm norm2_{nullptr};
  torch::nn::Linear ffnIn_{nullptr};
  torch::nn::Linear ffnOut_{nullptr};
};
TORCH_MODULE(TransformerBlock);

}  // namespace pl
