#include "ui/curves/curve_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pl::ui {

double EmaSmoother::push(double value) {
  if (!std::isfinite(value) || weight_ <= 0) return value;
  last_ = last_ * weight_ + (1 - weight_) * value;
  // 1 - w^n, kept as a running power: no pow() per point on 100k-step runs.
  weightPower_ *= weight_;
  return last_ / (1 - weightPower_);
}

std::vector<double> smoothEma(const std::vector<double>& values, double weight) {
  EmaSmoother smoother(weight);
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(smoother.push(v));
  return out;
}

std::vector<size_t> downsampleMinMax(const std::vector<double>& x, const std::vector<double>& y,
                                     double x0, double x1, int buckets) {
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  const size_t n = std::min(x.size(), y.size());
  if (x1 < x0) std::swap(x0, x1);
  buckets = std::max(buckets, 1);
  const auto usable = [&](size_t i) { return std::isfinite(x[i]) && std::isfinite(y[i]); };

  // One pass buckets the visible points and finds the neighbours just
  // outside; only a range with few points needs a second, to take them all.
  struct Bucket {
    size_t min = kNone;
    size_t max = kNone;
  };
  std::vector<Bucket> cells(static_cast<size_t>(buckets));
  const double scale = x1 > x0 ? buckets / (x1 - x0) : 0;
  size_t visible = 0;
  size_t first = kNone;
  size_t last = kNone;
  size_t before = kNone;
  size_t after = kNone;
  for (size_t i = 0; i < n; ++i) {
    if (!usable(i)) continue;
    if (x[i] < x0) {
      if (before == kNone || x[i] >= x[before]) before = i;
      continue;
    }
    if (x[i] > x1) {
      if (after == kNone || x[i] < x[after]) after = i;
      continue;
    }
    ++visible;
    if (first == kNone) first = i;
    last = i;
    auto k = static_cast<size_t>(std::clamp(static_cast<int>((x[i] - x0) * scale), 0, buckets - 1));
    Bucket& b = cells[k];
    if (b.min == kNone || y[i] < y[b.min]) b.min = i;
    if (b.max == kNone || y[i] > y[b.max]) b.max = i;
  }

  std::vector<size_t> out;
  if (before != kNone) out.push_back(before);
  if (visible <= 2 * static_cast<size_t>(buckets)) {
    for (size_t i = 0; i < n; ++i) {
      if (usable(i) && x[i] >= x0 && x[i] <= x1) out.push_back(i);
    }
  } else {
    out.push_back(first);
    out.push_back(last);
    for (const Bucket& b : cells) {
      if (b.min == kNone) continue;
      out.push_back(b.min);
      out.push_back(b.max);
    }
  }
  if (after != kNone) out.push_back(after);
  // Index order is drawing order; min and max of a bucket may come either way.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace pl::ui
