#pragma once
// Where a rank stands in a distributed pretraining run, and how it is read
// from the command line and torchrun's environment. No LibTorch here: the
// GUI and CLI include it through pretrain_job.h (train/distributed.h holds
// the c10d side).

#include <chrono>
#include <string>
#include <utility>

#include "common/result.h"

namespace pl {

/// Where a rank stands in a distributed run; worldSize 1 is a plain run.
struct DistributedOptions {
  int worldSize = 1;
  int rank = 0;
  std::string masterAddress = "127.0.0.1";
  int masterPort = 29500;
  /// How long to wait for the other ranks (rendezvous and each collective).
  std::chrono::seconds timeout{300};
  /// Ranks train on CUDA: NCCL when this LibTorch has it (Gloo otherwise,
  /// which also reduces CUDA tensors, more slowly).
  bool cuda = false;
  bool enabled() const { return worldSize > 1; }
};

/// Fills `options` from torchrun's variables (WORLD_SIZE, RANK, MASTER_ADDR,
/// MASTER_PORT) where set; an error names a variable that is not a number.
Status readDistributedEnvironment(DistributedOptions& options);

/// A rank, world size or port as given by `what` (a flag or variable name,
/// for the message): a whole number from 0 to 1,000,000.
Result<int> parseDistributedNumber(const std::string& what, const std::string& text);

/// Parses "ADDR:PORT" into the options.
Status parseMasterAddress(const std::string& text, DistributedOptions& options);

/// The rows of a global batch of `batchSize` that `rank` computes: an even
/// split, the first ranks taking one more when it does not divide.
std::pair<int64_t, int64_t> shardRows(int64_t batchSize, int rank, int worldSize);

}  // namespace pl
