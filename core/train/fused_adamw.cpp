#include "train/fused_adamw.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>

namespace pl {

FusedAdamW::FusedAdamW(std::vector<torch::Tensor> params, const FusedAdamWOptions& options)
    : params_(std::move(params)), options_(options) {
  for (const auto& p : params_) {
    TORCH_CHECK(p.device().is_cpu() && p.scalar_type() == torch::kFloat && p.is_contiguous(),
                "FusedAdamW needs contiguous float CPU parameters");
    expAvg_.push_back(torch::zeros_like(p));
    expAvgSq_.push_back(torch::zeros_like(p));
  }
}

void FusedAdamW::zeroGrad() {
  for (auto& p : params_) p.mutable_grad() = torch::Tensor();
}

void FusedAdamW::step() {
  ++step_;
  const double b1 = options_.beta1;
  const double b2 = options_.beta2;
  const auto decay = static_cast<float>(1.0 - options_.lr * options_.weightDecay);
  const auto stepSize = static_cast<float>(options_.lr / (1.0 - std::pow(b1, step_)));
  const auto invSqrtBc2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(b2, step_)));
  const auto eps = static_cast<float>(options_.eps);
  const auto fb1 = static_cast<float>(b1);
  const auto fb2 = static_cast<float>(b2);
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& grad = params_[i].grad();
    if (!grad.defined()) continue;
    if (!params_[i].is_cpu()) {
      // The same update in tensor operations, for parameters on a GPU.
      expAvg_[i].mul_(fb1).add_(grad, 1.0 - fb1);
      expAvgSq_[i].mul_(fb2).addcmul_(grad, grad, 1.0 - fb2);
      auto denominator = expAvgSq_[i].sqrt().mul_(invSqrtBc2).add_(eps);
      params_[i].mul_(decay).addcdiv_(expAvg_[i], denominator, -stepSize);
      continue;
    }
    auto g = grad.contiguous();
    float* p = params_[i].data_ptr<float>();
    float* m = expAvg_[i].data_ptr<float>();
    float* v = expAvgSq_[i].data_ptr<float>();
    const float* gp = g.data_ptr<float>();
    at::parallel_for(0, params_[i].numel(), 1 << 15, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k) {
        const float gk = gp[k];
        const float mk = fb1 * m[k] + (1.0f - fb1) * gk;
        const float vk = fb2 * v[k] + (1.0f - fb2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        p[k] = p[k] * decay - stepSize * mk / (std::sqrt(vk) * invSqrtBc2 + eps);
      }
    });
  }
}

void FusedAdamW::save(torch::serialize::OutputArchive& archive) const {
  archive.write("step", torch::tensor(step_));
  for (size_t i = 0; i < params_.size(); ++i) {
    // On the CPU, whatever device trains: any machine reads the checkpoint.
    archive.write("exp_avg_" + std::to_string(i), expAvg_[i].cpu());
    archive.write("exp_avg_sq_" + std::to_string(i), expAvgSq_[i].cpu());
  }
}

void FusedAdamW::load(torch::serialize::InputArchive& archive) {
  torch::Tensor step;
  archive.read("step", step);
  step_ = step.item<int64_t>();
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor m, v;
    archive.read("exp_avg_" + std::to_string(i), m);
    archive.read("exp_avg_sq_" + std::to_string(i), v);
    if (!m.sizes().equals(expAvg_[i].sizes())) {
      throw c10::Error({__func__, __FILE__, __LINE__}, "optimizer state does not fit the model");
    }
    expAvg_[i].copy_(m);
    expAvgSq_[i].copy_(v);
  }
}

}  // namespace pl
