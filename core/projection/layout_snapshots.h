#pragma once
// Sends the layout in progress through JobContext::partial() as a
// std::shared_ptr<const ProjectionSnapshot>, at most every ~250 ms: often
// enough for the map to animate, rarely enough that copying N points (and
// the GUI redrawing them) costs nothing next to the optimisation.

#include <chrono>
#include <memory>
#include <vector>

#include "projection/projection.h"

namespace pl {

class LayoutSnapshots {
 public:
  LayoutSnapshots(JobContext& context, ProjectionMethod method, int iterations)
      : context_(context), method_(method), iterations_(iterations) {}

  /// Sends `xy` (N x 2 of float or double) when someone listens and the last
  /// snapshot is ~250 ms old. The first goes out at once, so a map appears
  /// as soon as the optimisation starts.
  template <typename T>
  void offer(int iteration, const std::vector<T>& xy) {
    if (!context_.wantsPartial()) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    auto snapshot = std::make_shared<ProjectionSnapshot>();
    snapshot->method = method_;
    snapshot->iteration = iteration;
    snapshot->iterations = iterations_;
    snapshot->xy.assign(xy.begin(), xy.end());
    context_.partial(std::shared_ptr<const ProjectionSnapshot>(std::move(snapshot)));
  }

 private:
  JobContext& context_;
  ProjectionMethod method_;
  int iterations_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace pl
