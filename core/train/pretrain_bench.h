#pragma once
// `bench pretrain`: times full MLM training steps of a text encoder on random
// token ids, so encoder and trainer changes can be judged in tokens/s against
// bench/peer_mlm.py (PyTorch eager, same model). Kept free of LibTorch
// headers: the CLI includes this without paying for torch/torch.h.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl {

/// What to time. Defaults are the comparison settings.
struct PretrainBenchOptions {
  std::string encoder = "text-transformer";  ///< or "text-bow"
  int64_t layers = 2;
  int64_t dim = 128;
  int64_t heads = 4;
  int64_t seq = 32;
  int64_t batch = 64;
  int64_t vocab = 8000;
  double maskRate = 0.15;
  double dropout = 0.1;
  double learningRate = 1e-4;
  int steps = 20;    ///< timed steps
  int warmup = 3;    ///< untimed steps first (allocator, BLAS buffers, lazy init)
  int threads = 0;   ///< intra-op threads; 0: one per hardware thread
  uint64_t seed = 1;
  std::string traceFile;  ///< if set, a Chrome trace of the timed steps' ops goes here
};

/// Average time of one part of a training step.
struct PretrainBenchSection {
  std::string name;  ///< data, forward, head+loss, backward, optimizer
  double msPerStep = 0;
};

/// Throughput of the timed steps.
struct PretrainBenchResult {
  int threads = 0;
  int steps = 0;
  int64_t parameters = 0;
  double seconds = 0;
  double msPerStep = 0;
  double tokensPerSecond = 0;    ///< batch x seq tokens per step, padding-free
  double productsPerSecond = 0;  ///< sequences per second
  double maskedPerStep = 0;      ///< positions that went through the MLM head
  double firstLoss = 0;
  double lastLoss = 0;
  std::vector<PretrainBenchSection> sections;
  std::string runtime;  ///< LibTorch version, threads, BLAS
};

/// Runs warmup + timed AdamW steps (forward, MLM loss on masked positions
/// only, backward, optimizer). Sets LibTorch's intra-op thread count for the
/// process. Fails with a message on bad settings.
Result<PretrainBenchResult> runPretrainBench(const PretrainBenchOptions& options);

}  // namespace pl
