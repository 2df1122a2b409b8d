#pragma once
// Whitening of a catalog's embeddings (Su et al. 2021, "BERT-whitening"):
// centre the vectors, rotate them onto their principal axes and scale every
// axis to unit variance, then L2-normalise. Cosine neighbours then stop being
// dominated by the few directions all products share. The transform is fitted
// on the project's own unlabelled vectors: no label is involved.

#include <torch/torch.h>

#include <string>

namespace pl {

/// A fitted whitening transform: y = normalise((x - mean) @ projection).
struct Whitening {
  torch::Tensor mean;        ///< [D] float32
  torch::Tensor projection;  ///< [D,D] float32

  /// Fits on `vectors` [N,D] (N >= 2). Axes whose variance is below
  /// 1e-6 of the largest are scaled as if they had that floor, so constant
  /// directions are not blown up into noise.
  static Whitening fit(const torch::Tensor& vectors);
  /// Applies the transform to [N,D] vectors; rows come out L2-normalised.
  torch::Tensor apply(const torch::Tensor& vectors) const;

  /// float32 blob: D, then mean [D], then projection [D*D] row-major.
  std::string serialize() const;
  /// Inverse of serialize(); an undefined transform for a malformed blob.
  static Whitening deserialize(const std::string& blob);
  bool defined() const { return mean.defined(); }
};

}  // namespace pl
