#include <torch/torch.h>

#include "model/text_encoder.h"

namespace pl {

MlmHeadImpl::MlmHeadImpl(int64_t dim, int64_t vocabSize) {
  dense_ = register_module("dense", torch::nn::Linear(dim, dim));
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
  bias_ = register_parameter("bias", torch::zeros({vocabSize}));
}

torch::Tensor MlmHeadImpl::forward(const torch::Tensor& states, const torch::Tensor& tiedWeight) {
  TORCH_CHECK(states.dim() == 2, "MLM head: states must be [M,D] (masked positions only)");
  auto h = norm_(torch::gelu(dense_(states)));
  // addmm = one GEMM with the bias fused in; the weight is the encoder's token
  // embedding matrix, so the head adds no V x D parameters of its own.
  return torch::addmm(bias_, h, tiedWeight.t());
}

}  // namespace pl
