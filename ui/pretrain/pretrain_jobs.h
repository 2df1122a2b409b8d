#pragma once
// The pretraining job packaged for JobRunner, like ui/project_jobs.h: the
// worker opens its own connection to the project (SQLite connections are
// per thread); WAL lets the page keep reading runs and metrics meanwhile.

#include <QString>
#include <functional>

#include "common/result.h"
#include "train/pretrain_job.h"

namespace pl::ui {

class JobRunner;

/// Starts (or, with options.resume, continues) a pretraining run of
/// `projectPath`; `done` runs on the GUI thread. False when another job runs.
/// Pause and stop go through the runner (setPaused, cancel: a stop saves a
/// checkpoint and reports status "stopped").
bool startPretraining(JobRunner& runner, const QString& projectPath,
                      const pl::PretrainOptions& options,
                      std::function<void(const pl::Result<pl::PretrainReport>&)> done);

}  // namespace pl::ui
