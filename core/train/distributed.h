#pragma once
// Data-parallel pretraining on PyTorch's own distributed engine, c10d: a
// TCPStore rendezvous and a Gloo process group (NCCL is the CUDA
// equivalent). Every rank builds the same global batch and its random draws,
// computes its share of the rows, and gradients are summed across ranks in
// buckets that start while backward is still running. Only rank 0 writes the
// project (run, metrics, checkpoints); the others read it.

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "train/distributed_options.h"

namespace pl {

/// A joined process group.
class DistributedGroup {
 public:
  /// Rendezvous at the master (rank 0 serves the store) and connect with Gloo.
  static Result<std::shared_ptr<DistributedGroup>> join(const DistributedOptions& options);
  ~DistributedGroup();

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Rank 0's values of `tensors` on every rank (in place).
  void broadcast(std::vector<torch::Tensor> tensors);
  /// Element-wise sum over the ranks of a float64 vector.
  std::vector<double> sum(const std::vector<double>& values);
  /// Rank 0 publishes `bytes` under `key`; the others wait for and return them.
  std::string share(const std::string& key, const std::string& bytes);
  c10d::ProcessGroup& group() { return *group_; }

 private:
  DistributedGroup() = default;
  int rank_ = 0;
  int size_ = 1;
  torch::Device device_{torch::kCPU};  // where collectives' tensors live
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<c10d::ProcessGroup> group_;
};

/// Averages the gradients of `parameters` over the ranks after each
/// backward. Parameters are packed into buckets of about `bucketBytes`, in
/// reverse order (the order backward produces them); a bucket's all-reduce
/// starts as soon as its last gradient arrives, buckets start in one fixed
/// order on every rank (collectives must match), and finish() waits for
/// them. A parameter no rank used this step keeps no gradient, as in a
/// single-process run.
class GradientSync {
 public:
  GradientSync(std::shared_ptr<DistributedGroup> group, std::vector<torch::Tensor> parameters,
               int64_t bucketBytes = 4 << 20);
  /// Call after backward, before clipping and the optimizer step.
  void finish();
  int64_t buckets() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the gradient hooks
};

}  // namespace pl
