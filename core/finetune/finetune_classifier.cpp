#include "finetune/finetune_classifier.h"

#include <algorithm>
#include <cmath>

#include "train/batching.h"

namespace pl {

double classifierInputScale(int64_t dim) { return std::sqrt(static_cast<double>(std::max<int64_t>(dim, 1))); }

torch::Tensor embedItems(ProductModelImpl& model, const ProductCorpus& corpus,
                         const std::vector<int32_t>& items, int batch) {
  torch::NoGradGuard noGrad;
  model.eval();
  std::vector<torch::Tensor> parts;
  for (const auto& b : sequentialBatches(items, batch)) {
    Batch collated = collate(corpus, b);
    parts.push_back(forwardBatch(model, collated).embedding);
  }
  if (parts.empty()) return torch::zeros({0, 0});
  return torch::cat(parts).contiguous();
}

void predictClasses(const torch::Tensor& logits, std::vector<int32_t>& classes,
                    std::vector<float>& confidence) {
  classes.clear();
  confidence.clear();
  if (logits.numel() == 0) return;
  auto [best, index] = torch::softmax(logits.to(torch::kFloat), 1).max(1);
  best = best.contiguous();
  index = index.to(torch::kInt32).contiguous();
  const float* b = best.data_ptr<float>();
  const int32_t* i = index.data_ptr<int32_t>();
  classes.assign(i, i + index.numel());
  confidence.assign(b, b + best.numel());
}

torch::Tensor headLogits(const FinetuneHead& head, const torch::Tensor& embeddings) {
  auto weight = torch::from_blob(const_cast<float*>(head.weight.data()),
                                 {head.classes(), head.dim}, torch::kFloat);
  auto bias = torch::from_blob(const_cast<float*>(head.bias.data()), {head.classes()}, torch::kFloat);
  return torch::addmm(bias, embeddings, weight.t());
}

}  // namespace pl
