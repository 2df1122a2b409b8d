#pragma once
// Text encoders share one interface so objectives and the trainer do not
// care which one a run uses. LibTorch style: XOptions + XImpl + TORCH_MODULE.

#include <torch/torch.h>

#include <memory>
#include <string>

namespace pl {

enum class Pooling { Mean, Cls };

/// Output of a text encoder for a batch.
struct TextEncoding {
  torch::Tensor tokens;  ///< [B,T,D] contextual token states (final LayerNorm applied)
  torch::Tensor pooled;  ///< [B,D] product text vector (masked mean or CLS)
};

/// Interface of every text encoder (`text-transformer`, `text-bow`).
class TextEncoderImpl : public torch::nn::Module {
 public:
  /// ids [B,T] int64; mask [B,T] bool, true at real tokens (not padding).
  virtual TextEncoding forward(const torch::Tensor& ids, const torch::Tensor& mask) = 0;
  virtual int64_t dim() const = 0;
  /// The token embedding matrix [V,D], tied to the MLM output projection.
  virtual torch::Tensor tokenEmbeddingWeight() = 0;
};

/// Settings of the text-transformer encoder. Defaults are sized so an epoch
/// of Myntra titles (44k short titles) takes a few minutes on 2 cores.
struct TextTransformerOptions {
  int64_t vocabSize = 8000;
  int64_t dim = 256;
  int64_t layers = 4;
  int64_t heads = 4;
  int64_t maxLength = 48;
  double dropout = 0.1;
  Pooling pooling = Pooling::Mean;
  int64_t padId = 0;
};

/// Pre-LN Transformer encoder: learned token + position embeddings, blocks
/// of (LN -> multi-head self-attention -> residual, LN -> FFN 4*dim with GELU
/// -> residual), final LN, then pooling.
class TextTransformerImpl : public TextEncoderImpl {
 public:
  explicit TextTransformerImpl(const TextTransformerOptions& options);
  TextEncoding forward(const torch::Tensor& ids, const torch::Tensor& mask) override;
  int64_t dim() const override { return options_.dim; }
  torch::Tensor tokenEmbeddingWeight() override;
  const TextTransformerOptions& options() const { return options_; }

 private:
  TextTransformerOptions options_;
  torch::nn::Embedding tokens_{nullptr};
  torch::nn::Embedding positions_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::LayerNorm finalNorm_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(TextTransformer);

/// Settings of the bag-of-subwords encoder.
struct TextBowOptions {
  int64_t vocabSize = 8000;
  int64_t dim = 256;
  double dropout = 0.1;
  int64_t padId = 0;
};

/// Mean of subword embeddings (very fast); token states are the embeddings
/// themselves plus the mean, so MLM still has a signal.
class TextBowImpl : public TextEncoderImpl {
 public:
  explicit TextBowImpl(const TextBowOptions& options);
  TextEncoding forward(const torch::Tensor& ids, const torch::Tensor& mask) override;
  int64_t dim() const override { return options_.dim; }
  torch::Tensor tokenEmbeddingWeight() override;

 private:
  TextBowOptions options_;
  torch::nn::Embedding tokens_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(TextBow);

/// MLM output head: dense -> GELU -> LN -> logits through the tied token
/// embedding matrix (+ bias). Applied only to the masked positions' states,
/// so the vocabulary projection costs M x D x V, not B x T x D x V.
class MlmHeadImpl : public torch::nn::Module {
 public:
  MlmHeadImpl(int64_t dim, int64_t vocabSize);
  /// states [M,D] (masked positions only), tiedWeight [V,D] -> logits [M,V].
  torch::Tensor forward(const torch::Tensor& states, const torch::Tensor& tiedWeight);

 private:
  torch::nn::Linear dense_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
  torch::Tensor bias_;
};
TORCH_MODULE(MlmHead);

}  // namespace pl
