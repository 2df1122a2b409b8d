#pragma once
#include "common/job_context.h"

namespace pl::cli {

/// While alive, Ctrl-C / SIGTERM request a clean stop of `context`'s job
/// (a second Ctrl-C kills the process as usual).
class StopOnSignal {
 public:
  explicit StopOnSignal(JobContext& context);
  ~StopOnSignal();
};

}  // namespace pl::cli
