#include "projection/tsne_optimizer.h"

#include <algorithm>
#include <cmath>

#include "projection/layout_snapshots.h"
#include "projection/tsne_gradient.h"

namespace pl {

namespace {

constexpr double kMinGain = 0.01;

void recentre(std::vector<double>& xy) {
  const auto n = static_cast<double>(xy.size() / 2);
  double mx = 0, my = 0;
  for (size_t i = 0; i < xy.size(); i += 2) {
    mx += xy[i];
    my += xy[i + 1];
  }
  mx /= n;
  my /= n;
  for (size_t i = 0; i < xy.size(); i += 2) {
    xy[i] -= mx;
    xy[i + 1] -= my;
  }
}

}  // namespace

double tsneAutoLearningRate(int64_t rows, double exaggeration) {
  return std::max(200.0, static_cast<double>(rows) / std::max(1.0, exaggeration));
}

Status optimizeTsne(const SparseAffinities& p, const TsneSettings& settings, std::vector<double>& xy,
                    JobContext& context) {
  const std::string phase = "Optimising layout";
  std::vector<double> gradient, update(xy.size(), 0.0), gains(xy.size(), 1.0);
  QuadTree tree;
  LayoutSnapshots snapshots(context, ProjectionMethod::Tsne, settings.iterations);
  for (int it = 0; it < settings.iterations; ++it) {
    if (context.stopRequested()) return Error{"projection cancelled"};
    context.progress(it, settings.iterations, phase);
    const bool early = it < settings.exaggerationIterations;
    // Fresh momentum and gains once the exaggeration ends, as sklearn's two
    // descent calls have: step sizes grown under 12x forces would overshoot.
    if (it == settings.exaggerationIterations) {
      std::fill(update.begin(), update.end(), 0.0);
      std::fill(gains.begin(), gains.end(), 1.0);
    }
    const double exaggeration = early ? settings.exaggeration : 1.0;
    const double momentum = early ? 0.5 : 0.8;
    double z = settings.interpolate
                   ? tsneGradientInterpolated(p, xy, exaggeration, settings.threads, gradient)
                   : tsneGradient(p, xy, exaggeration, settings.theta, settings.threads, tree, gradient);
    for (size_t c = 0; c < xy.size(); ++c) {
      const bool sameSign = (gradient[c] > 0) == (update[c] > 0);
      gains[c] = std::max(kMinGain, sameSign ? gains[c] * 0.8 : gains[c] + 0.2);
      update[c] = momentum * update[c] - settings.learningRate * gains[c] * gradient[c];
      xy[c] += update[c];
    }
    recentre(xy);
    if ((it + 1) % 50 == 0 || it + 1 == settings.iterations) {
      context.metrics(it + 1, {{"kl_divergence", tsneKlDivergence(p, xy, z)}, {"exaggeration", exaggeration}});
    }
    snapshots.offer(it + 1, xy);
  }
  context.progress(settings.iterations, settings.iterations, phase);
  return Status::success();
}

}  // namespace pl
