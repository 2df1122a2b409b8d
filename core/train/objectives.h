#pragma once
// Loss functions of the pretraining objectives. Each returns a scalar
// tensor; the trainer weights and logs them separately.

#include <torch/torch.h>

#include "model/product_model.h"
#include "text/masking.h"

namespace pl {

/// Symmetric InfoNCE: row i of `a` and row i of `b` are positives, every
/// other row of the batch a negative. Inputs are L2-normalised [B,E].
/// `extraNegatives` [N,E] (optional) are further negatives for `a`'s side.
torch::Tensor infoNce(const torch::Tensor& a, const torch::Tensor& b, double temperature,
                      const torch::Tensor& extraNegatives = {});

/// Cross-entropy of the MLM head at the masked positions only.
torch::Tensor mlmLoss(ProductModelImpl& model, const ProductForward& forward,
                      const MaskedBatch& masked);

/// Picks one attr-target column per product to hide; returns the corrupted
/// codes and, per column, which rows were hidden (for attrLoss).
struct HiddenAttributes {
  torch::Tensor codes;         ///< [B,A] with the chosen cells set to kAttributeHidden
  torch::Tensor hiddenColumn;  ///< [B] int64: the hidden column, or -1
};
HiddenAttributes hideAttributes(const torch::Tensor& codes, const std::vector<int64_t>& targetColumns,
                                torch::Generator& generator);

/// Cross-entropy of predicting each hidden value from the fused vector.
/// Rows whose original value is unknown are ignored. Undefined tensor when
/// no row contributes.
torch::Tensor attrLoss(ProductModelImpl& model, const ProductForward& forward,
                       const torch::Tensor& originalCodes, const HiddenAttributes& hidden);

}  // namespace pl
