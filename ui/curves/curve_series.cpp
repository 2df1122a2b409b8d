#include "ui/curves/curve_series.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "store/run_store.h"

namespace pl::ui {

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Revisions are unique across the store, so a series that was replaced by a
// new one (load) can never look unchanged to a view that cached the old one.
uint64_t nextRevision() {
  static uint64_t counter = 0;
  return ++counter;
}

}  // namespace

double CurveRun::epochAt(double step) const {
  auto it = series.find(CurveStore::kEpochKey);
  if (it == series.end()) return std::numeric_limits<double>::quiet_NaN();
  const auto& steps = it->second.step;
  auto after = std::upper_bound(steps.begin(), steps.end(), step);
  if (after == steps.begin()) return std::numeric_limits<double>::quiet_NaN();
  return it->second.value[static_cast<size_t>(after - steps.begin()) - 1];
}

CurvePanel panelFor(const std::string& name) {
  if (name == CurveStore::kEpochKey || name == CurveStore::kWallKey) return CurvePanel::Hidden;
  if (name == "lr") return CurvePanel::LearningRate;
  if (endsWith(name, "_per_s")) return CurvePanel::Throughput;
  return CurvePanel::Losses;
}

void CurveStore::addRun(int64_t runId) { runs_.try_emplace(runId); }

void CurveStore::removeRun(int64_t runId) { runs_.erase(runId); }

const CurveRun* CurveStore::run(int64_t runId) const {
  auto it = runs_.find(runId);
  return it == runs_.end() ? nullptr : &it->second;
}

size_t CurveStore::pointCount() const {
  size_t n = 0;
  for (const auto& [id, run] : runs_) {
    for (const auto& [name, s] : run.series) n += s.size();
  }
  return n;
}

void CurveStore::push(CurveRun& run, const std::string& name, double step, double epoch,
                      double wall, double value) {
  CurveSeries& s = run.series[name];
  if (!s.step.empty() && step <= s.step.back()) {
    // A resumed run repeats the steps after its checkpoint: the new points win.
    auto from = std::lower_bound(s.step.begin(), s.step.end(), step) - s.step.begin();
    s.step.resize(static_cast<size_t>(from));
    s.epoch.resize(static_cast<size_t>(from));
    s.wall.resize(static_cast<size_t>(from));
    s.value.resize(static_cast<size_t>(from));
    s.resets = nextRevision();
  }
  s.step.push_back(step);
  s.epoch.push_back(epoch);
  s.wall.push_back(wall);
  s.value.push_back(value);
  s.revision = nextRevision();
}

void CurveStore::append(int64_t runId, int64_t step, const std::map<std::string, double>& values) {
  auto it = runs_.find(runId);
  if (it == runs_.end()) return;
  CurveRun& run = it->second;
  auto wallIt = values.find(kWallKey);
  if (wallIt != values.end()) run.lastWall = wallIt->second;
  const double x = static_cast<double>(step);
  // The epoch goes in first, so the other series of this report find it.
  auto epochIt = values.find(kEpochKey);
  if (epochIt != values.end())
    push(run, kEpochKey, x, epochIt->second, run.lastWall, epochIt->second);
  const double epoch = run.epochAt(x);
  for (const auto& [name, value] : values) {
    if (name == kWallKey || name == kEpochKey) continue;
    push(run, name, x, epoch, run.lastWall, value);
  }
}

void CurveStore::load(int64_t runId, const std::vector<MetricPoint>& points) {
  CurveRun& run = runs_[runId];
  run = CurveRun{};
  std::map<std::string, std::vector<const MetricPoint*>> byName;
  for (const auto& p : points) byName[p.name].push_back(&p);
  for (auto& [name, list] : byName) {
    std::stable_sort(list.begin(), list.end(),
                     [](const MetricPoint* a, const MetricPoint* b) { return a->step < b->step; });
  }
  auto epochs = byName.find(kEpochKey);
  if (epochs != byName.end()) {
    for (const MetricPoint* p : epochs->second) {
      push(run, kEpochKey, static_cast<double>(p->step), p->value, p->wallSeconds, p->value);
    }
  }
  for (const auto& [name, list] : byName) {
    if (name == kEpochKey) continue;
    for (const MetricPoint* p : list) {
      const double x = static_cast<double>(p->step);
      push(run, name, x, run.epochAt(x), p->wallSeconds, p->value);
      run.lastWall = std::max(run.lastWall, p->wallSeconds);
    }
  }
}

}  // namespace pl::ui
