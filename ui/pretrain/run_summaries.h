#pragma once
// One row per run for the history table: the stored run plus what the
// table shows about it (final loss, objectives, whether it can resume).
// The last loss is one indexed lookup per run, not a load of its series.

#include <optional>
#include <string>
#include <vector>

#include "store/run_store.h"
#include "train/run_config.h"

namespace pl::ui {

/// A run as the history table shows it.
struct RunSummary {
  pl::RunRecord run;
  std::optional<pl::RunConfig> config;             ///< empty when the stored JSON does not parse
  std::optional<double> finalLoss;                 ///< last "loss" point
  std::optional<double> finalValidation;           ///< mean of the last val/* points
  std::optional<pl::CheckpointRecord> checkpoint;  ///< newest checkpoint

  /// Stopped, failed, or left "running"/"paused" by a crash: it can go on
  /// from its checkpoint (a finished run cannot).
  bool resumable() const;
  /// Stored as running or paused: true of the run being trained now, and of
  /// one whose app was closed hard or crashed ("interrupted" when not live).
  bool storedAsActive() const { return run.status == "running" || run.status == "paused"; }
  /// "mlm 1, contrastive 0.5" (weights shown when not 1).
  std::string objectivesText() const;
};

/// Pretraining runs of the project, oldest first.
std::vector<RunSummary> loadRunSummaries(pl::Database& db);

}  // namespace pl::ui
