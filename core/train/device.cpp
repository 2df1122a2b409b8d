#include "train/device.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace pl {

Result<DeviceChoice> parseDeviceChoice(const std::string& name) {
  if (name == "cpu") return DeviceChoice::Cpu;
  if (name == "cuda") return DeviceChoice::Cuda;
  if (name == "auto") return DeviceChoice::Auto;
  return Error{"unknown device '" + name + "'; use cpu, cuda or auto"};
}

Result<torch::Device> resolveDevice(DeviceChoice choice) {
  const bool cuda = torch::cuda::is_available();
  if (choice == DeviceChoice::Cuda && !cuda) {
    return Error{"--device cuda: this LibTorch sees no CUDA device (Debian's LibTorch is built for the CPU only; "
                 "build ProductLens against an upstream CUDA LibTorch on a machine with an NVIDIA GPU), or use "
                 "--device cpu"};
  }
  if (choice == DeviceChoice::Cpu || !cuda) return torch::Device(torch::kCPU);
  return torch::Device(torch::kCUDA, 0);
}

Batch batchOn(const Batch& batch, const torch::Device& device) {
  if (device.is_cpu()) return batch;
  // Pinned (page-locked) host memory lets the copy run without waiting.
  auto move = [&device](const torch::Tensor& t) {
    return t.defined() ? t.pin_memory().to(device, /*non_blocking=*/true) : t;
  };
  Batch out = batch;
  for (torch::Tensor* t : {&out.ids, &out.mask, &out.maskable, &out.wordStarts, &out.attributes, &out.images,
                           &out.imagePresent}) {
    *t = move(*t);
  }
  return out;
}

namespace {

// LibTorch 2.4 made autocast per device type; before, the switch was CUDA's.
bool cudaAutocastEnabled() {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  return at::autocast::is_autocast_enabled(at::kCUDA);
#else
  return at::autocast::is_enabled();
#endif
}

void setCudaAutocast(bool on) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  at::autocast::set_autocast_enabled(at::kCUDA, on);
#else
  at::autocast::set_enabled(on);
#endif
}

}  // namespace

AutocastScope::AutocastScope(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
  previous_ = cudaAutocastEnabled();
  setCudaAutocast(true);
}

AutocastScope::~AutocastScope() {
  if (!enabled_) return;
  setCudaAutocast(previous_);
  // Cast weights are cached per autocast region; a new step casts afresh.
  at::autocast::clear_cache();
}

LossScaler::LossScaler(bool enabled, double initialScale, int growthInterval)
    : enabled_(enabled), scale_(initialScale), growthInterval_(growthInterval) {}

torch::Tensor LossScaler::scaled(const torch::Tensor& loss) const {
  return enabled_ ? loss * scale_ : loss;
}

bool LossScaler::unscaleAndUpdate(const std::vector<torch::Tensor>& parameters) {
  if (!enabled_) return true;
  torch::NoGradGuard noGrad;
  bool finite = true;
  for (const auto& p : parameters) {
    if (!p.grad().defined()) continue;
    auto grad = p.grad();
    grad.div_(scale_);
    if (!torch::isfinite(grad).all().item<bool>()) finite = false;
  }
  if (!finite) {
    scale_ /= 2;
    goodSteps_ = 0;
    return false;
  }
  if (++goodSteps_ >= growthInterval_) {
    scale_ *= 2;
    goodSteps_ = 0;
  }
  return true;
}

}  // namespace pl
