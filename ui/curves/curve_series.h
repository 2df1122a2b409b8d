#pragma once
// Every metric point of the runs a curves view shows, kept whole (the plots
// only ever draw a downsampled copy). Qt-free, so it is tested like core code.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pl {
struct MetricPoint;
}

namespace pl::ui {

/// One metric series of one run, in step order. `epoch` is NaN where the run
/// reported no epoch at or before that step.
struct CurveSeries {
  std::vector<double> step;
  std::vector<double> epoch;
  std::vector<double> wall;
  std::vector<double> value;
  /// Bumped on every change; views rebuild what they drew from it when it moves.
  uint64_t revision = 0;
  /// Bumped when points were removed or replaced rather than appended, so a
  /// cached running computation (the EMA) must start over.
  uint64_t resets = 0;

  size_t size() const { return step.size(); }
};

/// The series of one run, by metric name.
struct CurveRun {
  std::map<std::string, CurveSeries> series;
  double lastWall = 0;
  /// Epoch at `step` from the run's "epoch" series (the latest report at or
  /// before it), or NaN.
  double epochAt(double step) const;
};

/// Which plot a metric belongs on.
enum class CurvePanel { Losses, LearningRate, Throughput, Hidden };
/// loss, loss/x, val/x and unknown names: Losses; lr: LearningRate; *_per_s:
/// Throughput; epoch: Hidden (it is an x axis, not a curve).
CurvePanel panelFor(const std::string& name);

/// All points of all shown runs.
class CurveStore {
 public:
  /// The key of a live report that carries the wall clock; it is no series.
  static constexpr const char* kWallKey = "wall_s";
  static constexpr const char* kEpochKey = "epoch";

  void addRun(int64_t runId);
  void removeRun(int64_t runId);
  bool hasRun(int64_t runId) const { return runs_.count(runId) != 0; }
  void clear() { runs_.clear(); }

  /// One live report. A step at or before a series' last one means the run
  /// resumed from a checkpoint: that series' later points are dropped first.
  /// Ignored for runs not added.
  void append(int64_t runId, int64_t step, const std::map<std::string, double>& values);
  /// Replaces a run's points with stored ones (any order).
  void load(int64_t runId, const std::vector<MetricPoint>& points);

  const CurveRun* run(int64_t runId) const;
  const std::map<int64_t, CurveRun>& runs() const { return runs_; }
  /// Points over all runs and series (for tests and the status line).
  size_t pointCount() const;

 private:
  static void push(CurveRun& run, const std::string& name, double step, double epoch, double wall,
                   double value);

  std::map<int64_t, CurveRun> runs_;
};

}  // namespace pl::ui
