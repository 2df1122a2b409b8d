#include "eval/linear_probe.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
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

// TF-IDF has ~10^5 columns: dense Adam over W [columns x classes] touched
// every weight at every step (the L2 term makes every gradient dense) and
// took over half an hour for Myntra's 35k titles. This is lazy Adam: a
// batch's rows of W are gathered, the loss (with the L2 term on those rows)
// differentiated, and only their moments and weights updated (TensorFlow's
// LazyAdam; bias correction by the global step). Where every batch touches
// every column it is exactly the dense update.
Result<LinearProbe> trainSparseProbe(const SparseRows& features, const std::vector<int32_t>& labels,
                                     int classes, const ProbeOptions& options, JobContext& context) {
  const int64_t rows = features.rows();
  const int64_t inputs = features.cols;
  if (rows == 0 || classes < 2) return Error{"a probe needs labelled products of at least two classes"};
  torch::manual_seed(options.seed);
  torch::NoGradGuard outer;
  auto w = torch::zeros({inputs, classes});
  auto m = torch::zeros({inputs, classes});
  auto v = torch::zeros({inputs, classes});
  auto b = torch::zeros({classes});
  auto mb = torch::zeros({classes});
  auto vb = torch::zeros({classes});
  auto target = torch::tensor(std::vector<int64_t>(labels.begin(), labels.end()), torch::kLong);
  std::vector<int64_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::vector<int64_t> local(static_cast<size_t>(inputs), -1);  // column -> row of the batch's W
  const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  int64_t step = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (int64_t first = 0; first < rows; first += options.batch) {
      if (context.stopRequested()) return Error{"probe training cancelled"};
      const int64_t last = std::min(rows, first + options.batch);
      std::vector<int64_t> columns, r, c;
      std::vector<float> values;
      for (int64_t i = first; i < last; ++i) {
        const int64_t row = order[static_cast<size_t>(i)];
        for (int64_t at = features.indptr[row]; at < features.indptr[row + 1]; ++at) {
          int64_t& slot = local[static_cast<size_t>(features.indices[at])];
          if (slot < 0) {
            slot = static_cast<int64_t>(columns.size());
            columns.push_back(features.indices[at]);
          }
          r.push_back(i - first);
          c.push_back(slot);
          values.push_back(features.values[at]);
        }
      }
      for (int64_t col : columns) local[static_cast<size_t>(col)] = -1;
      const auto used = static_cast<int64_t>(columns.size());
      auto indices = used == 0 ? torch::zeros({2, 0}, torch::kLong)
                               : torch::stack({torch::tensor(r, torch::kLong), torch::tensor(c, torch::kLong)});
      auto x = torch::sparse_coo_tensor(indices, torch::tensor(values), {last - first, used});
      auto picked = torch::tensor(columns, torch::kLong);
      auto wb = w.index_select(0, picked);
      std::vector<int64_t> batch(order.begin() + first, order.begin() + last);
      torch::Tensor gw, gb;
      {
        torch::AutoGradMode enable(true);
        wb.requires_grad_(true);
        auto bb = b.clone().requires_grad_(true);
        auto loss = torch::nn::functional::cross_entropy(torch::mm(x, wb) + bb,
                                                         target.index_select(0, torch::tensor(batch))) +
                    0.5 * options.weightDecay * wb.pow(2).sum();
        loss.backward();
        gw = wb.grad();
        gb = bb.grad();
      }
      ++step;
      const double c1 = 1.0 - std::pow(b1, step), c2 = 1.0 - std::pow(b2, step);
      const auto stepSize = static_cast<float>(options.lr / c1);
      const auto invSqrtC2 = static_cast<float>(1.0 / std::sqrt(c2));
      auto adam = [&](float* wp, float* mp, float* vp, const float* g, int64_t n) {
        for (int64_t k = 0; k < n; ++k) {
          mp[k] = b1 * mp[k] + (1 - b1) * g[k];
          vp[k] = b2 * vp[k] + (1 - b2) * g[k] * g[k];
          wp[k] -= stepSize * mp[k] / (std::sqrt(vp[k]) * invSqrtC2 + eps);
        }
      };
      gw = gw.contiguous();
      for (int64_t u = 0; u < used; ++u) {
        const int64_t at = columns[static_cast<size_t>(u)] * classes;
        adam(w.data_ptr<float>() + at, m.data_ptr<float>() + at, v.data_ptr<float>() + at,
             gw.data_ptr<float>() + u * classes, classes);
      }
      gb = gb.contiguous();
      adam(b.data_ptr<float>(), mb.data_ptr<float>(), vb.data_ptr<float>(), gb.data_ptr<float>(), classes);
    }
    context.progress(epoch + 1, options.epochs, "Training linear probe");
  }
  LinearProbe probe;
  probe.inputs = inputs;
  probe.classes = classes;
  probe.weights.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
  probe.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
  return probe;
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
