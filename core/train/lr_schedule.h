#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace pl {

/// Learning rate at `step` (0-based): linear warm-up over `warmupSteps`,
/// then cosine or linear decay to 0 at `totalSteps`, or constant. A closed
/// form, so a resumed run needs no scheduler state.
inline double learningRateAt(int64_t step, int64_t totalSteps, int64_t warmupSteps, double peak,
                             const std::string& schedule) {
  if (warmupSteps > 0 && step < warmupSteps) return peak * double(step + 1) / double(warmupSteps);
  if (schedule == "constant" || totalSteps <= warmupSteps) return peak;
  double progress = std::clamp(double(step - warmupSteps) / double(totalSteps - warmupSteps), 0.0, 1.0);
  if (schedule == "linear") return peak * (1.0 - progress);
  return peak * 0.5 * (1.0 + std::cos(M_PI * progress));
}

}  // namespace pl
