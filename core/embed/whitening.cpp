#include "embed/whitening.h"

#include <cmath>
#include <cstring>

namespace pl {

Whitening Whitening::fit(const torch::Tensor& vectors) {
  TORCH_CHECK(vectors.dim() == 2 && vectors.size(0) >= 2, "whitening needs at least two vectors");
  // Double precision: the covariance of 1M rows sums many small products.
  auto x = vectors.to(torch::kDouble);
  auto mean = x.mean(0);
  auto centred = x - mean;
  auto covariance = torch::mm(centred.t(), centred) / static_cast<double>(x.size(0) - 1);
  auto [eigenvalues, eigenvectors] = torch::linalg_eigh(covariance);
  auto floor = std::max(eigenvalues.max().item<double>() * 1e-6, 1e-12);
  auto scale = eigenvalues.clamp_min(floor).rsqrt();
  Whitening w;
  w.mean = mean.to(torch::kFloat).contiguous();
  w.projection = (eigenvectors * scale.unsqueeze(0)).to(torch::kFloat).contiguous();
  return w;
}

torch::Tensor Whitening::apply(const torch::Tensor& vectors) const {
  auto y = torch::mm(vectors.to(torch::kFloat) - mean, projection);
  return torch::nn::functional::normalize(y, torch::nn::functional::NormalizeFuncOptions().dim(1));
}

std::string Whitening::serialize() const {
  const int64_t d = mean.size(0);
  std::string blob(sizeof(float) * static_cast<size_t>(1 + d + d * d), '\0');
  float header = static_cast<float>(d);
  std::memcpy(blob.data(), &header, sizeof header);
  std::memcpy(blob.data() + sizeof(float), mean.data_ptr<float>(), sizeof(float) * d);
  std::memcpy(blob.data() + sizeof(float) * (1 + d), projection.data_ptr<float>(),
              sizeof(float) * d * d);
  return blob;
}

Whitening Whitening::deserialize(const std::string& blob) {
  Whitening w;
  if (blob.size() < sizeof(float)) return w;
  float header = 0;
  std::memcpy(&header, blob.data(), sizeof header);
  // A damaged header can hold any float (NaN, 1e30): converting one that does
  // not fit int64 is undefined behaviour, so the range is checked first
  // (UBSan found it). No embedding has more than 65,536 dimensions.
  if (!(header >= 1 && header <= 65536) || header != std::floor(header)) return w;
  const auto d = static_cast<int64_t>(header);
  if (blob.size() != sizeof(float) * static_cast<size_t>(1 + d + d * d)) return w;
  const float* data = reinterpret_cast<const float*>(blob.data()) + 1;
  w.mean = torch::from_blob(const_cast<float*>(data), {d}, torch::kFloat).clone();
  w.projection = torch::from_blob(const_cast<float*>(data + d), {d, d}, torch::kFloat).clone();
  return w;
}

}  // namespace pl
