#pragma once
// Checkpoints: model + optimizer + training position + RNG states in one
// LibTorch archive, written atomically (temp file, fsync, rename, fsync of
// the folder) so a crash at any moment leaves the previous checkpoint whole.

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "common/atomic_file.h"
#include "common/result.h"
#include "model/product_model.h"
#include "store/run_store.h"
#include "store/sqlite_db.h"
#include "train/fused_adamw.h"

namespace pl {

/// Where training stands; enough to continue exactly.
struct TrainingPosition {
  int64_t step = 0;          ///< optimizer steps done
  int64_t epoch = 0;         ///< current epoch (0-based)
  int64_t batchInEpoch = 0;  ///< batches of the current epoch already done
  double elapsedSeconds = 0;
  torch::Tensor globalRngState;  ///< default CPU generator (dropout)
  torch::Tensor maskRngState;    ///< masking / attr generator
  /// Memory banks (contrastive negative queue, neighbours support set);
  /// undefined when empty or unused. Saved so a resumed run continues
  /// exactly; checkpoints from before them load with empty banks.
  torch::Tensor negativeQueue;
  torch::Tensor neighbourBank;
};

/// Writes the checkpoint to `path` atomically; returns its SHA-256.
Result<std::string> saveCheckpoint(const std::string& path, ProductModelImpl& model,
                                   FusedAdamW& optimizer,
                                   const TrainingPosition& position);

/// A training run's periodic checkpoint: writes "<dir>/step-NNNNNNNN.pt",
/// records it for the run and keeps the newest two (the one before guards
/// against a bad newest file), deleting older files. Returns the new path.
Result<std::string> saveRunCheckpoint(Database& db, int64_t runId, const std::string& dir,
                                      ProductModelImpl& model, FusedAdamW& optimizer,
                                      const TrainingPosition& position);

/// Reads `path` once into memory, verifies those bytes against
/// `expectedSha256` (an empty record counts as damaged: every checkpoint
/// ProductLens writes is recorded with its hash) and loads the same bytes
/// with loadCheckpointBytes, so the file cannot be swapped between the
/// check and the load.
Status loadCheckpoint(const std::string& path, const std::string& expectedSha256,
                      ProductModelImpl& model, FusedAdamW* optimizer,
                      TrainingPosition& position);

/// Loads a checkpoint held in memory: refuses an archive that carries code
/// (see checkpoint.cpp: LibTorch would compile and run it), then loads
/// model, optimizer and position; every model tensor keeps its shape and
/// type, or the load fails. On failure the model's tensors are put back as
/// they were (the optimizer state may be half read). `name` labels messages.
Status loadCheckpointBytes(const std::string& bytes, const std::string& name,
                           ProductModelImpl& model, FusedAdamW* optimizer,
                           TrainingPosition& position);

/// The checkpoint a run was restored from.
struct RestoredCheckpoint {
  CheckpointRecord record;
  /// Set when the newest checkpoint was damaged and an older one was used
  /// instead: says which, and why; the caller shows it to the user.
  std::string warning;
};

/// Loads the run's newest checkpoint that verifies and loads; a damaged
/// newest one falls back to the previous (training keeps two for this),
/// with a warning. An error when the run has none, or none loads (the
/// message gives the newest one's reason).
Result<RestoredCheckpoint> loadNewestCheckpoint(Database& db, int64_t runId, ProductModelImpl& model,
                                                FusedAdamW* optimizer, TrainingPosition& position);

}  // namespace pl
