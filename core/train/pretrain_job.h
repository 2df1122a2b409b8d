#pragma once
#include <string>

#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"
#include "store/project_paths.h"  // defaultRunDirectory, for the files that include this header for it
#include "text/tokenizer.h"
#include "train/device_choice.h"
#include "train/distributed_options.h"
#include "train/run_config.h"

namespace pl {

/// What to run.
struct PretrainOptions {
  std::string runName;
  RunConfig config;     ///< ignored on resume: the stored config is used
  bool resume = false;  ///< continue the run from its last checkpoint
  /// Folder for checkpoints and the tokenizer (default: "<project>.runs/<run>").
  std::string runDirectory;
  /// Data-parallel training over several processes (train/distributed.h):
  /// every rank passes the same config; rank 0 opens the project writable
  /// and records the run, the others may open it read-only.
  DistributedOptions distributed;
  /// When set, every rank writes its final parameters here as raw float32,
  /// in parameter order (to compare ranks and runs).
  std::string saveWeights;
  /// cpu, cuda or auto (train/device.h); CPU unless asked.
  DeviceChoice device = DeviceChoice::Cpu;
  /// On CUDA: autocast and dynamic loss scaling.
  bool mixedPrecision = true;
};

/// How it ended.
struct PretrainReport {
  int64_t runId = 0;
  std::string status;  ///< finished, stopped
  int64_t steps = 0;
  double epochs = 0;
  double seconds = 0;
  double finalLoss = 0;
  double tokensPerSecond = 0;
  std::string lastCheckpoint;
};

/// Trains (or resumes) a pretraining run: tokenizer, model, objectives,
/// AdamW with warm-up and decay, validation, checkpoints, metrics in the
/// store. A stop request saves a checkpoint and returns status "stopped".
/// A NaN/Inf loss fails the run and keeps the last good checkpoint.
/// Metrics reported per step: loss, loss/<objective>, lr, epoch (fractional),
/// tokens_per_s and products_per_s (about once a second), wall_s (run clock,
/// not stored as a series); after each validation pass: val/<objective>, wall_s.
Result<PretrainReport> runPretraining(Project& project, const PretrainOptions& options,
                                      JobContext& context);

/// Writes the run's stored tokenizer to `runDirectory`/tokenizer.model (the
/// folder is created if needed) and loads it; the trainer's resume and the
/// embedder share it.
Result<Tokenizer> restoreRunTokenizer(Database& db, int64_t runId, const std::string& runDirectory);

/// Trains a new run's tokenizer on the catalog texts `config` reads (as
/// pretraining does), stores it with the run and loads it from
/// `runDirectory`/tokenizer.model (the folder must exist). Fine-tuning from
/// random initialisation shares it.
Result<Tokenizer> trainRunTokenizer(Database& db, int64_t runId, const RunConfig& config,
                                    const std::string& runDirectory);

}  // namespace pl
