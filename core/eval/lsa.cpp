#include "eval/lsa.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>

namespace pl {

namespace {

SparseRows transpose(const SparseRows& x) {
  SparseRows t;
  t.cols = x.rows();
  t.indptr.assign(static_cast<size_t>(x.cols) + 1, 0);
  for (int32_t c : x.indices) ++t.indptr[static_cast<size_t>(c) + 1];
  for (size_t i = 1; i < t.indptr.size(); ++i) t.indptr[i] += t.indptr[i - 1];
  t.indices.resize(x.indices.size());
  t.values.resize(x.values.size());
  std::vector<int64_t> fill(t.indptr.begin(), t.indptr.end() - 1);
  for (int64_t r = 0; r < x.rows(); ++r) {
    for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) {
      int64_t at = fill[static_cast<size_t>(x.indices[i])]++;
      t.indices[static_cast<size_t>(at)] = static_cast<int32_t>(r);
      t.values[static_cast<size_t>(at)] = x.values[i];
    }
  }
  return t;
}

// x [n, m] (sparse) times d [m, l] (dense) -> [n, l].
torch::Tensor multiply(const SparseRows& x, const torch::Tensor& d) {
  auto dense = d.contiguous();
  const int64_t l = dense.size(1);
  auto out = torch::zeros({x.rows(), l});
  const float* in = dense.data_ptr<float>();
  float* o = out.data_ptr<float>();
  at::parallel_for(0, x.rows(), 64, [&](int64_t from, int64_t to) {
    for (int64_t r = from; r < to; ++r) {
      float* row = o + r * l;
      for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) {
        const float* src = in + static_cast<int64_t>(x.indices[i]) * l;
        const float v = x.values[i];
        for (int64_t j = 0; j < l; ++j) row[j] += v * src[j];
      }
    }
  });
  return out;
}

torch::Tensor orthonormal(const torch::Tensor& y) { return std::get<0>(torch::linalg_qr(y, "reduced")); }

}  // namespace

std::vector<float> lsaEmbedding(const SparseRows& x, int64_t dim, uint64_t seed, int powerIterations) {
  torch::NoGradGuard noGrad;
  const int64_t n = x.rows();
  // No vocabulary (e.g. empty texts): nothing to decompose, every row is zero.
  if (x.cols == 0 || n == 0) return std::vector<float>(static_cast<size_t>(n * dim), 0.f);
  const int64_t rank = std::max<int64_t>(1, std::min({dim + 10, n, x.cols}));
  SparseRows xt = transpose(x);
  auto generator = torch::make_generator<at::CPUGeneratorImpl>(seed);
  auto q = orthonormal(multiply(x, torch::randn({x.cols, rank}, generator)));
  for (int i = 0; i < powerIterations; ++i) {
    q = orthonormal(multiply(x, orthonormal(multiply(xt, q))));
  }
  auto b = multiply(xt, q).t();  // Q^T X: [rank, m]
  auto svd = torch::linalg_svd(b, /*full_matrices=*/false);
  auto u = q.mm(std::get<0>(svd));
  auto s = std::get<1>(svd);
  const int64_t kept = std::min(dim, s.size(0));
  auto embedding = (u.slice(1, 0, kept) * s.slice(0, 0, kept)).contiguous();
  if (kept < dim) embedding = torch::cat({embedding, torch::zeros({n, dim - kept})}, 1);
  embedding = torch::nn::functional::normalize(
                  embedding, torch::nn::functional::NormalizeFuncOptions().dim(1).eps(1e-12))
                  .contiguous();
  std::vector<float> out(static_cast<size_t>(n * dim));
  std::memcpy(out.data(), embedding.data_ptr<float>(), out.size() * sizeof(float));
  return out;
}

}  // namespace pl
