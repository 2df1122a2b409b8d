#include "common/job_context.h"

namespace pl {

void JobContext::progress(int64_t done, int64_t total, const std::string& phase) {
  if (!progressSink_) return;
  auto now = std::chrono::steady_clock::now();
  bool final = total > 0 && done >= total;
  if (!final && now - lastProgress_ < interval_) return;
  lastProgress_ = now;
  progressSink_(done, total, phase);
}

void JobContext::metrics(int64_t step, const std::map<std::string, double>& values) {
  if (metricsSink_) metricsSink_(step, values);
}

void JobContext::log(LogLevel level, const std::string& message) {
  if (logSink_) logSink_(level, message);
}

void JobContext::partial(const std::any& result) {
  if (partialSink_) partialSink_(result);
}

}  // namespace pl
