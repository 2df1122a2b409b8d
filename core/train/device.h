#pragma once
// Where training runs and how: the device (`--device cpu|cuda|auto`), mixed
// precision on CUDA (autocast + dynamic loss scaling) and pinned-memory
// batch copies. Debian's LibTorch is CPU-only, so CPU stays the default and
// the CUDA paths are exercised only with an upstream CUDA LibTorch; the
// loss scaler is plain tensor code and is tested on the CPU.

#include <torch/torch.h>

#include <string>
#include <vector>

#include "common/result.h"
#include "train/batching.h"
#include "train/device_choice.h"

namespace pl {

/// The device to use: cuda when asked and present (an error saying why not
/// otherwise), auto = cuda when present, else cpu.
Result<torch::Device> resolveDevice(DeviceChoice choice);

/// A batch's tensors on `device`; from pinned memory, without waiting, on CUDA.
Batch batchOn(const Batch& batch, const torch::Device& device);

/// Autocast (float16 matrix products where safe) for CUDA code inside its
/// scope; does nothing when disabled or on the CPU.
class AutocastScope {
 public:
  explicit AutocastScope(bool enabled);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  bool previous_ = false;
};

/// Dynamic loss scaling (as torch.cuda.amp.GradScaler): the loss is scaled
/// up so float16 gradients do not underflow; before the optimizer step the
/// gradients are scaled back, and a step whose gradients overflowed is
/// skipped and the scale halved; after `growthInterval` good steps it doubles.
class LossScaler {
 public:
  explicit LossScaler(bool enabled, double initialScale = 65536.0, int growthInterval = 2000);
  bool enabled() const { return enabled_; }
  double scale() const { return scale_; }
  /// The loss to call backward() on.
  torch::Tensor scaled(const torch::Tensor& loss) const;
  /// Divides the gradients by the scale; false (skip the step) when any is
  /// not finite. Then adjusts the scale.
  bool unscaleAndUpdate(const std::vector<torch::Tensor>& parameters);

 private:
  bool enabled_;
  double scale_;
  int growthInterval_;
  int goodSteps_ = 0;
};

}  // namespace pl
