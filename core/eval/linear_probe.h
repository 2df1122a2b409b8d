#pragma once
// Multinomial logistic regression: the linear probe on frozen embeddings and
// the "TF-IDF + logistic regression" baseline (sparse features). Small,
// deterministic, and trained with Adam on mini-batches on the CPU.

#include <cstdint>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "eval/sparse_rows.h"

namespace pl {

/// Training settings (the defaults fit both dense 128-d and sparse TF-IDF inputs).
struct ProbeOptions {
  int epochs = 60;
  int batch = 256;
  double lr = 0.01;
  double weightDecay = 1e-5;  ///< L2 penalty on the weights (not the bias)
  uint64_t seed = 1;
};

/// A trained linear classifier.
struct LinearProbe {
  int64_t inputs = 0;
  int classes = 0;
  std::vector<float> weights;  ///< inputs x classes, row-major
  std::vector<float> bias;     ///< classes
};

/// Class and softmax confidence of each row.
struct Predictions {
  std::vector<int32_t> labels;
  std::vector<float> confidence;
};

/// Trains on rows x dim dense features. Stops (with an error) on request.
Result<LinearProbe> trainDenseProbe(const std::vector<float>& features, int64_t dim,
                                    const std::vector<int32_t>& labels, int classes,
                                    const ProbeOptions& options, JobContext& context);
/// The same on sparse rows (TF-IDF), without densifying them.
Result<LinearProbe> trainSparseProbe(const SparseRows& features, const std::vector<int32_t>& labels,
                                     int classes, const ProbeOptions& options, JobContext& context);

Predictions predictDense(const LinearProbe& probe, const std::vector<float>& features);
Predictions predictSparse(const LinearProbe& probe, const SparseRows& features);

/// The given rows of a sparse matrix, in that order.
SparseRows selectRows(const SparseRows& x, const std::vector<int64_t>& rows);

}  // namespace pl
