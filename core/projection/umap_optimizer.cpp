#include "projection/umap_optimizer.h"

#include <algorithm>
#include <cmath>

#include "projection/layout_snapshots.h"
#include "projection/parallel_for.h"

namespace pl {

namespace {

constexpr float kClip = 4.0f;

float clip(float v) { return std::max(-kClip, std::min(kClip, v)); }

// SplitMix64: a tiny, good generator; seeded per (seed, epoch, slice) so a
// slice's draws do not depend on the other threads.
struct SplitMix {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

// The graph as a directed edge list (both directions, as umap-learn's COO)
// with each edge's sampling period in epochs.
struct EdgeSchedule {
  std::vector<int32_t> head, tail;
  std::vector<float> period, nextSample, negativePeriod, nextNegative;
};

EdgeSchedule schedule(const SparseAffinities& graph, const UmapSettings& settings) {
  double maxWeight = 0;
  for (double w : graph.values) maxWeight = std::max(maxWeight, w);
  EdgeSchedule s;
  const double floor = maxWeight / settings.epochs;
  for (int64_t i = 0; i < graph.rows; ++i) {
    for (int64_t e = graph.rowStart[i]; e < graph.rowStart[i + 1]; ++e) {
      const double w = graph.values[e];
      if (w < floor || w <= 0) continue;
      const auto period = static_cast<float>(maxWeight / w);
      s.head.push_back(static_cast<int32_t>(i));
      s.tail.push_back(graph.columns[e]);
      s.period.push_back(period);
      s.negativePeriod.push_back(period / static_cast<float>(settings.negativeSamples));
    }
  }
  s.nextSample = s.period;
  s.nextNegative = s.negativePeriod;
  return s;
}

}  // namespace

int umapDefaultEpochs(int64_t rows) { return rows <= 10000 ? 500 : 200; }

Status optimizeUmap(const SparseAffinities& graph, const UmapSettings& settings, std::vector<float>& xy,
                    JobContext& context) {
  const std::string phase = "Optimising layout";
  EdgeSchedule s = schedule(graph, settings);
  const auto a = static_cast<float>(settings.curve.a), b = static_cast<float>(settings.curve.b);
  const auto n = static_cast<uint64_t>(graph.rows);
  const auto edges = static_cast<int64_t>(s.head.size());
  LayoutSnapshots snapshots(context, ProjectionMethod::Umap, settings.epochs);
  float* y = xy.data();
  for (int epoch = 0; epoch < settings.epochs; ++epoch) {
    if (context.stopRequested()) return Error{"projection cancelled"};
    context.progress(epoch, settings.epochs, phase);
    const auto alpha = static_cast<float>(settings.learningRate * (1.0 - static_cast<double>(epoch) / settings.epochs));
    const auto now = static_cast<float>(epoch);
    parallelFor(edges, settings.threads, [&](int64_t begin, int64_t end, int slice) {
      SplitMix rng{settings.seed * 0x100000001B3ull + static_cast<uint64_t>(epoch) * 1024 + slice};
      for (int64_t e = begin; e < end; ++e) {
        if (s.nextSample[e] > now) continue;
        float* current = y + 2 * static_cast<int64_t>(s.head[e]);
        float* other = y + 2 * static_cast<int64_t>(s.tail[e]);
        float dx = current[0] - other[0], dy = current[1] - other[1];
        float d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const float pb = std::pow(d2, b);  // d^(2b)
          const float coefficient = -2.0f * a * b * (pb / d2) / (a * pb + 1.0f);
          const float gx = clip(coefficient * dx) * alpha, gy = clip(coefficient * dy) * alpha;
          current[0] += gx;
          current[1] += gy;
          other[0] -= gx;
          other[1] -= gy;
        }
        s.nextSample[e] += s.period[e];
        const int negatives = static_cast<int>((now - s.nextNegative[e]) / s.negativePeriod[e]);
        for (int k = 0; k < negatives; ++k) {
          const uint64_t pick = rng.next() % n;
          if (pick == static_cast<uint64_t>(s.head[e])) continue;
          const float* far = y + 2 * pick;
          dx = current[0] - far[0];
          dy = current[1] - far[1];
          d2 = dx * dx + dy * dy;
          if (d2 > 0) {
            const float coefficient = 2.0f * b / ((0.001f + d2) * (a * std::pow(d2, b) + 1.0f));
            current[0] += clip(coefficient * dx) * alpha;
            current[1] += clip(coefficient * dy) * alpha;
          } else {
            current[0] += kClip * alpha;  // umap-learn's push for coincident points
            current[1] += kClip * alpha;
          }
        }
        s.nextNegative[e] += static_cast<float>(negatives) * s.negativePeriod[e];
      }
    });
    snapshots.offer(epoch + 1, xy);
  }
  context.progress(settings.epochs, settings.epochs, phase);
  return Status::success();
}

}  // namespace pl
