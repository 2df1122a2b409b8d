#pragma once
#include <chrono>
#include <string>

#include "common/job_context.h"

namespace pl::cli {

/// Draws a job's progress on stderr: a bar with percent, rate and ETA when
/// stderr is a terminal, one line per phase (and every 10%) otherwise, so
/// logs from pipelines stay readable.
class TerminalProgress {
 public:
  explicit TerminalProgress(bool quiet);
  ~TerminalProgress();
  /// Installs this bar as `context`'s progress and log sinks.
  void attach(JobContext& context);
  void finish();
  /// Extra text after the bar (e.g. the current loss).
  void setDetail(std::string detail) { detail_ = std::move(detail); }

 private:
  void draw(int64_t done, int64_t total, const std::string& phase);
  bool quiet_;
  bool tty_;
  bool drawn_ = false;
  std::string phase_;
  std::string detail_;
  int lastDecile_ = -1;
  std::chrono::steady_clock::time_point phaseStart_;
};

}  // namespace pl::cli
