#pragma once
// The one contract for long work (see docs/ARCHITECTURE.md): a job receives
// a JobContext, reports through it and polls it for stop/pause. Front ends
// install sinks: the CLI draws a terminal bar, the GUI worker turns each call
// into a queued signal. Sinks are called on the job's own thread.

#include <any>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace pl {

enum class LogLevel { Info, Warning, Error };

/// Channel between a running job and whoever drives it.
class JobContext {
 public:
  using ProgressSink = std::function<void(int64_t done, int64_t total, const std::string& phase)>;
  using MetricsSink = std::function<void(int64_t step, const std::map<std::string, double>&)>;
  using LogSink = std::function<void(LogLevel, const std::string&)>;
  /// Receives intermediate results (e.g. a std::shared_ptr<const T> of
  /// t-SNE coordinates); the job documents which type it sends.
  using PartialSink = std::function<void(const std::any& result)>;

  /// Reports progress; calls closer together than the throttle interval are
  /// dropped (except the final done == total call) so hot loops may call it freely.
  void progress(int64_t done, int64_t total, const std::string& phase);
  /// Reports a set of named values at a step (losses, rates).
  void metrics(int64_t step, const std::map<std::string, double>& values);
  /// A message for the run log, in plain words.
  void log(LogLevel level, const std::string& message);

  /// Hands an intermediate result to the front end (no-op without a sink).
  /// Jobs send immutable snapshots so the receiver may keep them.
  void partial(const std::any& result);
  /// Whether anyone listens for partial results (lets a job skip building them).
  bool wantsPartial() const { return static_cast<bool>(partialSink_); }

  /// True once a stop was requested; jobs check it between units of work.
  bool stopRequested() const { return stop_.load(std::memory_order_relaxed); }
  /// True while a pause is requested; jobs that support pause wait on it.
  bool pauseRequested() const { return pause_.load(std::memory_order_relaxed); }

  void requestStop() { stop_.store(true); }
  void setPaused(bool paused) { pause_.store(paused); }

  void setProgressSink(ProgressSink sink) { progressSink_ = std::move(sink); }
  void setMetricsSink(MetricsSink sink) { metricsSink_ = std::move(sink); }
  void setLogSink(LogSink sink) { logSink_ = std::move(sink); }
  void setPartialSink(PartialSink sink) { partialSink_ = std::move(sink); }
  /// Minimum time between forwarded progress reports (default 50 ms).
  void setProgressInterval(std::chrono::milliseconds interval) { interval_ = interval; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> pause_{false};
  ProgressSink progressSink_;
  MetricsSink metricsSink_;
  LogSink logSink_;
  PartialSink partialSink_;
  std::chrono::milliseconds interval_{50};
  std::chrono::steady_clock::time_point lastProgress_{};
};

}  // namespace pl
