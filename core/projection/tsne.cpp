#include "projection/tsne.h"

#include <chrono>
#include <cmath>

#include "projection/tsne_affinities.h"
#include "projection/tsne_optimizer.h"

namespace pl {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<double> scaledStart(const std::vector<float>& pcaXy) {
  const size_t n = pcaXy.size() / 2;
  double mean = 0, squares = 0;
  for (size_t i = 0; i < n; ++i) mean += pcaXy[2 * i];
  mean /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) squares += (pcaXy[2 * i] - mean) * (pcaXy[2 * i] - mean);
  const double sd = std::sqrt(squares / static_cast<double>(n));
  const double scale = sd > 0 ? 1e-4 / sd : 1.0;
  std::vector<double> xy(pcaXy.size());
  for (size_t c = 0; c < xy.size(); ++c) xy[c] = pcaXy[c] * scale;
  return xy;
}

}  // namespace

Result<LayoutResult> tsneLayout(const KnnGraph& graph, const std::vector<float>& pcaXy,
                                const ProjectionOptions& options, JobContext& context) {
  LayoutResult result;
  const int threads = projectionThreads(options);
  auto start = std::chrono::steady_clock::now();
  auto p = tsneAffinities(graph, options.perplexity, threads, context);
  if (!p) return p.error();
  result.similaritySeconds = secondsSince(start);

  start = std::chrono::steady_clock::now();
  TsneSettings settings;
  settings.iterations = options.tsneIterations > 0 ? options.tsneIterations : 750;
  settings.exaggerationIterations = std::min(250, settings.iterations / 3);
  settings.exaggeration = options.earlyExaggeration;
  settings.learningRate = options.learningRate > 0 ? options.learningRate
                                                   : tsneAutoLearningRate(graph.rows, options.earlyExaggeration);
  settings.theta = options.theta;
  settings.interpolate = options.tsneRepulsion == TsneRepulsion::Interpolation ||
                         (options.tsneRepulsion == TsneRepulsion::Auto && graph.rows >= kTsneInterpolationFrom);
  settings.threads = threads;
  std::vector<double> xy = scaledStart(pcaXy);
  if (Status s = optimizeTsne(*p, settings, xy, context); !s) return s.error();
  result.xy.assign(xy.begin(), xy.end());
  result.layoutSeconds = secondsSince(start);
  return result;
}

}  // namespace pl
