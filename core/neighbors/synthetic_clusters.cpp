#include "neighbors/synthetic_clusters.h"

#include <torch/torch.h>

#include <cstring>

namespace pl {

EmbeddingMatrix makeSyntheticClusters(const SyntheticClusterSpec& spec, std::vector<int32_t>* labels,
                                      uint64_t drawSeed) {
  torch::NoGradGuard noGrad;
  auto mixture = torch::make_generator<at::CPUGeneratorImpl>(spec.seed);
  auto centres = torch::randn({spec.clusters, spec.subspaceDim}, mixture);
  // A Gaussian matrix scaled by 1/sqrt(k) is close to an isometry of the subspace.
  auto basis = torch::randn({spec.subspaceDim, spec.dim}, mixture) /
               std::sqrt(static_cast<double>(spec.subspaceDim));

  auto draw = torch::make_generator<at::CPUGeneratorImpl>(spec.seed * 7919 + drawSeed + 1);
  auto cluster = torch::randint(spec.clusters, {spec.points}, draw, torch::kLong);
  auto local = centres.index_select(0, cluster) +
               spec.clusterSpread * torch::randn({spec.points, spec.subspaceDim}, draw);
  auto signal = local.matmul(basis);
  double scale = signal.std().item<double>();
  auto vectors = signal + (spec.noise * scale) * torch::randn({spec.points, spec.dim}, draw);
  vectors = torch::nn::functional::normalize(vectors, torch::nn::functional::NormalizeFuncOptions().dim(1))
                .contiguous();

  EmbeddingMatrix m;
  m.dim = spec.dim;
  m.rowIds.resize(static_cast<size_t>(spec.points));
  for (int64_t i = 0; i < spec.points; ++i) m.rowIds[static_cast<size_t>(i)] = i + 1;
  m.values.resize(static_cast<size_t>(spec.points * spec.dim));
  std::memcpy(m.values.data(), vectors.data_ptr<float>(), m.values.size() * sizeof(float));
  if (labels) {
    auto c = cluster.to(torch::kInt).contiguous();
    labels->assign(c.data_ptr<int32_t>(), c.data_ptr<int32_t>() + spec.points);
  }
  return m;
}

}  // namespace pl
