#include "projection/pca.h"

#include <torch/torch.h>

#include <algorithm>

namespace pl {

namespace {

// Rows per block: converting a 1M x 128 matrix to double at once would take
// 1 GB; blocks keep the extra memory at a few MB.
constexpr int64_t kBlockRows = 65536;

}  // namespace

PcaResult computePca(const float* values, int64_t rows, int64_t dim, int components) {
  PcaResult result;
  result.components = components;
  result.coordinates.assign(static_cast<size_t>(rows * components), 0.0f);
  if (rows < 2 || dim < 1) return result;
  torch::NoGradGuard noGrad;
  auto x = torch::from_blob(const_cast<float*>(values), {rows, dim}, torch::kFloat);

  // Double precision: the covariance of a million rows sums many small terms.
  auto sum = torch::zeros({dim}, torch::kDouble);
  for (int64_t b = 0; b < rows; b += kBlockRows) {
    sum += x.slice(0, b, std::min(rows, b + kBlockRows)).to(torch::kDouble).sum(0);
  }
  auto mean = sum / static_cast<double>(rows);
  auto covariance = torch::zeros({dim, dim}, torch::kDouble);
  for (int64_t b = 0; b < rows; b += kBlockRows) {
    auto block = x.slice(0, b, std::min(rows, b + kBlockRows)).to(torch::kDouble) - mean;
    covariance.addmm_(block.t(), block);
  }
  covariance /= static_cast<double>(rows - 1);

  auto [eigenvalues, eigenvectors] = torch::linalg_eigh(covariance);  // ascending
  eigenvalues = eigenvalues.flip(0).clamp_min(0.0);
  eigenvectors = eigenvectors.flip(1);
  double total = eigenvalues.sum().item<double>();
  auto shares = eigenvalues.contiguous();
  for (int64_t i = 0; i < dim; ++i) {
    result.explainedVariance.push_back(total > 0 ? shares[i].item<double>() / total : 0.0);
  }

  const int64_t kept = std::min<int64_t>(components, dim);
  auto axes = eigenvectors.slice(1, 0, kept).clone();
  // Sign convention of sklearn's svd_flip: the largest loading is positive.
  auto largest = axes.abs().argmax(0);
  for (int64_t c = 0; c < kept; ++c) {
    if (axes[largest[c].item<int64_t>()][c].item<double>() < 0) axes.select(1, c).neg_();
  }
  auto axesF = axes.to(torch::kFloat);
  auto meanF = mean.to(torch::kFloat);
  auto out = torch::from_blob(result.coordinates.data(), {rows, components}, torch::kFloat);
  for (int64_t b = 0; b < rows; b += kBlockRows) {
    int64_t e = std::min(rows, b + kBlockRows);
    out.slice(0, b, e).slice(1, 0, kept).copy_(torch::mm(x.slice(0, b, e) - meanF, axesF));
  }
  return result;
}

}  // namespace pl
