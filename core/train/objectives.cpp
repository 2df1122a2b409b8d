#include "train/objectives.h"

#include "train/product_corpus.h"

namespace pl {

namespace F = torch::nn::functional;

torch::Tensor infoNce(const torch::Tensor& a, const torch::Tensor& b, double temperature,
                      const torch::Tensor& extraNegatives) {
  auto logits = torch::mm(a, b.t()) / temperature;
  auto labels = torch::arange(a.size(0), torch::TensorOptions().dtype(torch::kInt64));
  auto fromB = F::cross_entropy(logits.t(), labels);
  if (extraNegatives.defined() && extraNegatives.size(0) > 0) {
    // Only a's side sees the queue: b's rows already are the current views.
    logits = torch::cat({logits, torch::mm(a, extraNegatives.t()) / temperature}, 1);
  }
  return 0.5 * (F::cross_entropy(logits, labels) + fromB);
}

torch::Tensor mlmLoss(ProductModelImpl& model, const ProductForward& forward,
                      const MaskedBatch& masked) {
  auto states = forward.text.tokens.reshape({-1, forward.text.tokens.size(2)});
  auto chosen = states.index_select(0, masked.positions);
  auto logits = model.mlmHead()->forward(chosen, model.text().tokenEmbeddingWeight());
  return F::cross_entropy(logits, masked.targets);
}

HiddenAttributes hideAttributes(const torch::Tensor& codes, const std::vector<int64_t>& targetColumns,
                                torch::Generator& generator) {
  HiddenAttributes out;
  out.codes = codes.clone();
  const int64_t b = codes.size(0);
  out.hiddenColumn = torch::full({b}, -1, torch::kInt64);
  if (targetColumns.empty()) return out;
  auto pick = torch::randint(static_cast<int64_t>(targetColumns.size()), {b}, generator, torch::kInt64);
  auto pickA = pick.accessor<int64_t, 1>();
  auto hiddenA = out.hiddenColumn.accessor<int64_t, 1>();
  auto codesA = out.codes.accessor<int64_t, 2>();
  for (int64_t r = 0; r < b; ++r) {
    int64_t col = targetColumns[pickA[r]];
    hiddenA[r] = col;
    codesA[r][col] = kAttributeHidden;
  }
  return out;
}

torch::Tensor attrLoss(ProductModelImpl& model, const ProductForward& forward,
                       const torch::Tensor& originalCodes, const HiddenAttributes& hidden) {
  torch::Tensor total;
  int64_t contributing = 0;
  for (int64_t col = 0; col < originalCodes.size(1); ++col) {
    if (!model.hasAttrHead(static_cast<size_t>(col))) continue;
    auto rows = ((hidden.hiddenColumn == col) & (originalCodes.select(1, col) != kAttributeUnknown))
                    .nonzero()
                    .squeeze(1);
    if (rows.numel() == 0) continue;
    auto logits = model.attrHead(static_cast<size_t>(col))->forward(forward.hidden.index_select(0, rows));
    auto targets = originalCodes.select(1, col).index_select(0, rows);
    auto loss = F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().reduction(torch::kSum));
    total = total.defined() ? total + loss : loss;
    contributing += rows.numel();
  }
  return contributing > 0 ? total / static_cast<double>(contributing) : total;
}

}  // namespace pl
