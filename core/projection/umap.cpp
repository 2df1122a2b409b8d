#include "projection/umap.h"

#include <chrono>
#include <cmath>

#include "projection/umap_fuzzy_set.h"
#include "projection/umap_optimizer.h"

namespace pl {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<float> scaledStart(const std::vector<float>& pcaXy) {
  float largest = 0;
  for (float v : pcaXy) largest = std::max(largest, std::abs(v));
  const float scale = largest > 0 ? 10.0f / largest : 1.0f;
  std::vector<float> xy(pcaXy.size());
  for (size_t c = 0; c < xy.size(); ++c) xy[c] = pcaXy[c] * scale;
  return xy;
}

}  // namespace

Result<LayoutResult> umapLayout(const KnnGraph& graph, const std::vector<float>& pcaXy,
                                const ProjectionOptions& options, JobContext& context) {
  LayoutResult result;
  const int threads = projectionThreads(options);
  auto start = std::chrono::steady_clock::now();
  auto fuzzy = umapFuzzySet(graph, threads, context);
  if (!fuzzy) return fuzzy.error();
  UmapSettings settings;
  settings.curve = fitUmapCurve(options.minDist);
  result.similaritySeconds = secondsSince(start);

  start = std::chrono::steady_clock::now();
  settings.epochs = options.umapEpochs > 0 ? options.umapEpochs : umapDefaultEpochs(graph.rows);
  settings.negativeSamples = std::max(1, options.negativeSamples);
  settings.seed = options.seed;
  settings.threads = threads;
  result.xy = scaledStart(pcaXy);
  if (Status s = optimizeUmap(*fuzzy, settings, result.xy, context); !s) return s.error();
  result.layoutSeconds = secondsSince(start);
  return result;
}

}  // namespace pl
