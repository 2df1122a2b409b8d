#pragma once
// The two computations between the stored points and the drawn line:
// TensorBoard's smoothing and a min/max downsampler. Qt-free.

#include <cstddef>
#include <vector>

namespace pl::ui {

/// TensorBoard's debiased exponential moving average, one value at a time,
/// so a live series extends its smoothed copy instead of recomputing it.
/// Starting from 0 biases early values towards 0; dividing by 1 - w^n undoes
/// that, so the first smoothed value equals the first raw one.
class EmaSmoother {
 public:
  explicit EmaSmoother(double weight = 0) : weight_(weight) {}
  /// The smoothed value after `value`. Non-finite values pass through and do
  /// not enter the average (one NaN must not blank the rest of the curve).
  double push(double value);
  double weight() const { return weight_; }

 private:
  double weight_;
  double last_ = 0;
  double weightPower_ = 1;
};

/// Smooths a whole series with weight 0 <= w < 1 (0 returns it unchanged).
std::vector<double> smoothEma(const std::vector<double>& values, double weight);

/// Indices (ascending) of the points of (x[i], y[i]) worth drawing across
/// [x0, x1] at `buckets` pixels: every visible point when there are at most
/// 2 * buckets of them, else the first and last visible point plus the
/// minimum and maximum of each pixel-wide bucket, so spikes survive. The
/// nearest point outside each end is kept too, so the line reaches the edges.
/// Points with a non-finite x or y are skipped. At most 2 * buckets + 4.
std::vector<size_t> downsampleMinMax(const std::vector<double>& x, const std::vector<double>& y,
                                     double x0, double x1, int buckets);

}  // namespace pl::ui
