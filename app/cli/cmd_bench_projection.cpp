// productlens-cli bench projection: PCA, t-SNE or UMAP of clustered
// synthetic vectors, timed per stage, with the map's trustworthiness.
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "model/torch_runtime.h"
#include "neighbors/synthetic_clusters.h"
#include "projection/layout_methods.h"
#include "projection/pca.h"
#include "projection/projection_quality.h"

namespace pl::cli {

namespace {

constexpr int kTrustK = 10;
constexpr int64_t kTrustSample = 2000;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int runProjectionBench(const ParsedArgs& args) {
  constexpr int64_t kInt64 = std::numeric_limits<int64_t>::max();
  SyntheticClusterSpec spec;
  spec.dim = 128;
  spec.seed = 1;
  ProjectionOptions options;  // threads 0: one per hardware thread
  FlagReader read(args);
  read.integer("n", 10, kInt64, spec.points)
      .integer("dim", 2, kInt64, spec.dim)
      .integer("clusters", 1, std::numeric_limits<int>::max(), spec.clusters)
      .integer("seed", 0, kInt64, spec.seed)
      .integer("threads", 0, std::numeric_limits<int>::max(), options.threads);
  if (!read.ok()) return fail(read.error(), kExitUsage);
  auto method = parseProjectionMethod(args.value("method", "tsne"));
  if (!method) return fail(method.error().message, kExitUsage);
  options.method = *method;
  options.seed = spec.seed;
  setTorchThreads(projectionThreads(options));
  auto matrix = std::make_shared<const EmbeddingMatrix>(makeSyntheticClusters(spec));

  JobContext context;
  TerminalProgress bar(args.has("json"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto start = std::chrono::steady_clock::now();
  LayoutResult layout;
  if (options.method == ProjectionMethod::Pca) {
    layout.xy = computePca(matrix->values.data(), matrix->rows(), matrix->dim, 2).coordinates;
    layout.layoutSeconds = secondsSince(start);
  } else {
    auto made = options.method == ProjectionMethod::Tsne ? computeTsneLayout(matrix, options, context)
                                                         : computeUmapLayout(matrix, options, context);
    if (!made) return fail(made.error().message);
    layout = std::move(*made);
  }
  double total = secondsSince(start);
  bar.finish();
  double trust = sampledTrustworthiness(matrix->values.data(), matrix->rows(), matrix->dim, layout.xy.data(),
                                        kTrustK, kTrustSample, spec.seed);
  const std::string name = projectionMethodName(options.method);
  if (args.has("json")) {
    nlohmann::json j = {{"method", name},
                        {"points", spec.points},
                        {"dim", spec.dim},
                        {"clusters", spec.clusters},
                        {"threads", projectionThreads(options)},
                        {"knn_seconds", layout.knnSeconds},
                        {"init_seconds", layout.initSeconds},
                        {"similarity_seconds", layout.similaritySeconds},
                        {"layout_seconds", layout.layoutSeconds},
                        {"total_seconds", total},
                        {"trustworthiness_k10", trust}};
    std::printf("%s\n", j.dump().c_str());
    return kExitOk;
  }
  std::printf("%s of %lld synthetic %lld-d points (%d clusters), %d threads\n", name.c_str(),
              static_cast<long long>(spec.points), static_cast<long long>(spec.dim), spec.clusters,
              projectionThreads(options));
  std::printf("  kNN graph      %8.2f s\n  PCA start      %8.2f s\n  similarities   %8.2f s\n"
              "  layout         %8.2f s\n  total          %8.2f s\n",
              layout.knnSeconds, layout.initSeconds, layout.similaritySeconds, layout.layoutSeconds, total);
  std::printf("  trustworthiness (k=%d, %lld-point sample) %.4f\n", kTrustK,
              static_cast<long long>(std::min(kTrustSample, spec.points)), trust);
  return kExitOk;
}

}  // namespace pl::cli
