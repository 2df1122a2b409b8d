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

/// Verifies `path` against `expectedSha256` (refusing a damaged or swapped
/// file), refuses an archive that carries code (see checkpoint.cpp: LibTorch
/// would compile and run it), then loads model, optimizer and position;
/// every model tensor keeps its shape and type, or the load fails.
Status loadCheckpoint(const std::string& path, const std::string& expectedSha256,
                      ProductModelImpl& model, FusedAdamW* optimizer,
                      TrainingPosition& position);

}  // namespace pl
