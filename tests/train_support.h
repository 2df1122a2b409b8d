#pragma once
// Training helpers shared by the core tests: a run that can be stopped at a
// given step (to test resuming), on the real pretraining job.
#include <map>
#include <string>

#include "train/pretrain_job.h"

namespace pl::test {

/// Trains (or with `resume`, continues) run `name` with `config`; asks the
/// job to stop once step `stopAt` is reported (-1: never).
inline Result<PretrainReport> trainRun(Project& project, const std::string& name, const RunConfig& config,
                                       bool resume = false, int64_t stopAt = -1) {
  PretrainOptions o;
  o.runName = name;
  o.config = config;
  o.resume = resume;
  JobContext ctx;
  ctx.setMetricsSink([&](int64_t step, const std::map<std::string, double>&) {
    if (step == stopAt) ctx.requestStop();
  });
  return runPretraining(project, o, ctx);
}

}  // namespace pl::test
