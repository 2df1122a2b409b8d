#include "eval/linear_probe.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

namespace pl {

namespace {

// The given rows of a CSR matrix as a sparse COO tensor [rows.size(), cols].
torch::Tensor sparseBatch(const SparseRows& x, const std::vector<int64_t>& rows) {
  std::vector<int64_t> r, c;
  std::vector<float> v;
  for (size_t i = 0; i < rows.size(); ++i) {
    for (int64_t at = x.indptr[rows[i]]; at < x.indptr[rows[i] + 1]; ++at) {
      r.push_back(static_cast<int64_t>(i));
      c.push_back(x.indices[at]);
      v.push_back(x.values[at]);
    }
  }
  auto nnz = static_cast<int64_t>(v.size());
  auto indices = torch::stack({torch::tensor(r, torch::kLong), torch::tensor(c, torch::kLong)});
  if (nnz == 0) indices = torch::zeros({2, 0}, torch::kLong);
  auto values = torch::from_blob(v.data(), {nnz}).clone();
  return torch::sparse_coo_tensor(indices, values, {static_cast<int64_t>(rows.size()), x.cols});
}

// The shared loop: `logitsOf(batchRows)` gives the batch's logits from W, b.
template <typename Logits>
Result<LinearProbe> train(int64_t rows, int64_t inputs, const std::vector<int32_t>& labels, int classes,
                          const ProbeOptions& options, JobContext& context, Logits logitsOf) {
  if (rows == 0 || classes < 2) return Error{"a probe needs labelled products of at least two classes"};
  torch::manual_seed(options.seed);
  auto w = torch::zeros({inputs, classes}, torch::requires_grad());
  auto b = torch::zeros({classes}, torch::requires_grad());
  torch::optim::Adam optimizer({w, b}, torch::optim::AdamOptions(options.lr));
  auto target = torch::tensor(std::vector<int64_t>(labels.begin(), labels.end()), torch::kLong);
  std::vector<int64_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (int64_t first = 0; first < rows; first += options.batch) {
      if (context.stopRequested()) return Error{"probe training cancelled"};
      std::vector<int64_t> batch(order.begin() + first, order.begin() + std::min(rows, first + options.batch));
      auto logits = logitsOf(batch, w) + b;
      auto loss = torch::nn::functional::cross_entropy(logits, target.index_select(0, torch::tensor(batch))) +
                  0.5 * options.weightDecay * w.pow(2).sum();
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    context.progress(epoch + 1, options.epochs, "Training linear probe");
  }
  LinearProbe probe;
  probe.inputs = inputs;
  probe.classes = classes;
  auto wc = w.detach().contiguous();
  probe.weights.assign(wc.data_ptr<float>(), wc.data_ptr<float>() + wc.numel());
  auto bc = b.detach().contiguous();
  probe.bias.assign(bc.data_ptr<float>(), bc.data_ptr<float>() + bc.numel());
  return probe;
}

Predictions fromLogits(const torch::Tensor& logits) {
  auto [confidence, label] = torch::softmax(logits, 1).max(1);
  Predictions p;
  auto l = label.to(torch::kInt).contiguous();
  auto c = confidence.contiguous();
  p.labels.assign(l.data_ptr<int32_t>(), l.data_ptr<int32_t>() + l.numel());
  p.confidence.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  return p;
}

torch::Tensor weightsOf(const LinearProbe& probe) {
  return torch::from_blob(const_cast<float*>(probe.weights.data()), {probe.inputs, probe.classes});
}

torch::Tensor biasOf(const LinearProbe& probe) {
  return torch::from_blob(const_cast<float*>(probe.bias.data()), {probe.classes});
}

}  // namespace

Result<LinearProbe> trainDenseProbe(const std::vector<float>& features, int64_t dim,
                                    const std::vector<int32_t>& labels, int classes,
                                    const ProbeOptions& options, JobContext& context) {
  auto rows = static_cast<int64_t>(labels.size());
  auto x = torch::from_blob(const_cast<float*>(features.data()), {rows, dim});
  return train(rows, dim, labels, classes, options, context,
               [&](const std::vector<int64_t>& batch, const torch::Tensor& w) {
                 return x.index_select(0, torch::tensor(batch)).mm(w);
               });
}

Result<LinearProbe> trainSparseProbe(const SparseRows& features, const std::vector<int32_t>& labels,
                                     int classes, const ProbeOptions& options, JobContext& context) {
  return train(features.rows(), features.cols, labels, classes, options, context,
               [&](const std::vector<int64_t>& batch, const torch::Tensor& w) {
                 return torch::mm(sparseBatch(features, batch), w);
               });
}

Predictions predictDense(const LinearProbe& probe, const std::vector<float>& features) {
  torch::NoGradGuard noGrad;
  auto rows = static_cast<int64_t>(features.size()) / std::max<int64_t>(probe.inputs, 1);
  auto x = torch::from_blob(const_cast<float*>(features.data()), {rows, probe.inputs});
  return fromLogits(x.mm(weightsOf(probe)) + biasOf(probe));
}

Predictions predictSparse(const LinearProbe& probe, const SparseRows& features) {
  torch::NoGradGuard noGrad;
  std::vector<int64_t> all(static_cast<size_t>(features.rows()));
  std::iota(all.begin(), all.end(), 0);
  return fromLogits(torch::mm(sparseBatch(features, all), weightsOf(probe)) + biasOf(probe));
}

SparseRows selectRows(const SparseRows& x, const std::vector<int64_t>& rows) {
  SparseRows out;
  out.cols = x.cols;
  for (int64_t r : rows) {
    for (int64_t at = x.indptr[r]; at < x.indptr[r + 1]; ++at) {
      out.indices.push_back(x.indices[at]);
      out.values.push_back(x.values[at]);
    }
    out.indptr.push_back(static_cast<int64_t>(out.values.size()));
  }
  return out;
}

}  // namespace pl
