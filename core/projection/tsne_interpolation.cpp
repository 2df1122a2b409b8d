#include "projection/tsne_interpolation.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "projection/parallel_for.h"

namespace pl {

namespace {

constexpr int kCharges = 4;
constexpr int kMaxNodes = 3;  // pointsPerBox up to this

// Lagrange weights of the p equispaced nodes (k + 1/2) / p of a unit box at t.
void lagrangeWeights(double t, int p, double* w) {
  for (int k = 0; k < p; ++k) {
    double num = 1, den = 1;
    const double nk = (k + 0.5) / p;
    for (int m = 0; m < p; ++m) {
      if (m == k) continue;
      const double nm = (m + 0.5) / p;
      num *= t - nm;
      den *= nk - nm;
    }
    w[k] = num / den;
  }
}

// Where a point sits on one axis: its box's first node and the weights.
struct AxisStencil {
  int first = 0;
  double w[kMaxNodes] = {0, 0, 0};
};

AxisStencil stencil(double v, double lo, double boxWidth, int boxes, int p) {
  AxisStencil s;
  const double u = (v - lo) / boxWidth;
  const int box = std::min(boxes - 1, std::max(0, static_cast<int>(u)));
  s.first = box * p;
  lagrangeWeights(u - box, p, s.w);
  return s;
}

// Sets LibTorch to one intra-op thread while alive (see the FFT below).
class OneTorchThread {
 public:
  OneTorchThread() : previous_(at::get_num_threads()) { at::set_num_threads(1); }
  ~OneTorchThread() { at::set_num_threads(previous_); }
  OneTorchThread(const OneTorchThread&) = delete;
  OneTorchThread& operator=(const OneTorchThread&) = delete;

 private:
  int previous_;
};

// The squared Cauchy kernel at every node offset, laid out circularly on a
// 2m x 2m grid so one FFT product is the (non-circular) convolution; kept
// per thread while the grid keeps its size and spacing.
const torch::Tensor& kernelSpectrum(int64_t m, double spacing) {
  thread_local int64_t cachedM = -1;
  thread_local double cachedSpacing = 0;
  thread_local torch::Tensor spectrum;
  if (m == cachedM && spacing == cachedSpacing) return spectrum;
  auto offsets = torch::arange(2 * m, torch::kDouble);
  offsets = torch::where(offsets < m, offsets, offsets - 2.0 * m) * spacing;
  auto d2 = offsets.square().unsqueeze(1) + offsets.square().unsqueeze(0);
  spectrum = torch::fft::rfft2((1.0 + d2).reciprocal().square().to(torch::kFloat));
  cachedM = m;
  cachedSpacing = spacing;
  return spectrum;
}

}  // namespace

double interpolatedRepulsion(const std::vector<double>& xy, int threads, std::vector<double>& repulsive,
                             const InterpolationGrid& grid) {
  torch::NoGradGuard noGrad;
  const int64_t n = static_cast<int64_t>(xy.size() / 2);
  const int p = std::min(kMaxNodes, std::max(1, grid.pointsPerBox));
  double minX = INFINITY, minY = INFINITY, maxX = -INFINITY, maxY = -INFINITY;
  for (int64_t i = 0; i < n; ++i) {
    minX = std::min(minX, xy[2 * i]);
    maxX = std::max(maxX, xy[2 * i]);
    minY = std::min(minY, xy[2 * i + 1]);
    maxY = std::max(maxY, xy[2 * i + 1]);
  }
  // One square grid: the kernel depends on distance, so both axes share a
  // spacing. Once the map is wider than minBoxes boxes the box width stays
  // fixed, so the kernel's spectrum only changes when the grid grows.
  const double range = std::max({maxX - minX, maxY - minY, 1e-12}) * (1 + 1e-9);
  const int boxes = std::max(grid.minBoxes, static_cast<int>(std::ceil(range / grid.boxWidth)));
  const double boxWidth = boxes == grid.minBoxes ? range / boxes : grid.boxWidth;
  const int64_t m = int64_t{boxes} * p;  // nodes per axis
  const double spacing = boxWidth / p;
  // Charges relative to the middle of the map: the identity behind Z
  // subtracts terms of size |y|^2 phi, smaller about the middle.
  const double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;

  std::vector<AxisStencil> sx(n), sy(n);
  parallelFor(n, threads, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      sx[i] = stencil(xy[2 * i], minX, boxWidth, boxes, p);
      sy[i] = stencil(xy[2 * i + 1], minY, boxWidth, boxes, p);
    }
  });

  // Spread the charges 1, x, y, x^2 + y^2 onto the nodes (rows: x, columns:
  // y). Single precision for the grid and its FFTs: half the time of double,
  // and the interpolation error (~1e-3) is far above float's.
  auto charges = torch::zeros({kCharges, m, m}, torch::kFloat);
  float* q = charges.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    const double x = xy[2 * i] - cx, y = xy[2 * i + 1] - cy;
    const double c[kCharges] = {1.0, x, y, x * x + y * y};
    for (int a = 0; a < p; ++a) {
      for (int b = 0; b < p; ++b) {
        const double w = sx[i].w[a] * sy[i].w[b];
        const int64_t node = (sx[i].first + a) * m + sy[i].first + b;
        for (int k = 0; k < kCharges; ++k) q[k * m * m + node] += static_cast<float>(w * c[k]);
      }
    }
  }

  // One intra-op thread for the FFTs, restored after: with two, each of the
  // ~10 small torch calls per iteration spends more time handing work
  // between OpenMP threads than computing when other processes share the
  // cores (m = 150: 10 ms on one thread, 25-150 ms on two, machine at load 7).
  // The stages around this one do not run torch concurrently.
  OneTorchThread oneThread;
  const std::vector<int64_t> padded = {2 * m, 2 * m};
  auto potentials = torch::fft::irfft2(torch::fft::rfft2(charges, padded) * kernelSpectrum(m, spacing), padded)
                        .slice(1, 0, m)
                        .slice(2, 0, m)
                        .contiguous();
  const float* phi = potentials.data_ptr<float>();

  // Back to the points; then Z and the forces from the four potentials.
  repulsive.assign(static_cast<size_t>(2 * n), 0.0);
  std::vector<double> zParts(n);
  parallelFor(n, threads, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      double f[kCharges] = {0, 0, 0, 0};
      for (int a = 0; a < p; ++a) {
        for (int b = 0; b < p; ++b) {
          const double w = sx[i].w[a] * sy[i].w[b];
          const int64_t node = (sx[i].first + a) * m + sy[i].first + b;
          for (int k = 0; k < kCharges; ++k) f[k] += w * phi[k * m * m + node];
        }
      }
      const double x = xy[2 * i] - cx, y = xy[2 * i + 1] - cy;
      zParts[i] = (1 + x * x + y * y) * f[0] - 2 * (x * f[1] + y * f[2]) + f[3];
      repulsive[2 * i] = x * f[0] - f[1];
      repulsive[2 * i + 1] = y * f[0] - f[2];
    }
  });
  double z = 0;
  for (double part : zParts) z += part;
  return std::max(z - static_cast<double>(n), 1e-300);  // minus each point's own q_ii Z = 1
}

}  // namespace pl
