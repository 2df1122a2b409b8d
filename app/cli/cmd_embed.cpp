#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "embed/embed_job.h"
#include "export/embedding_export.h"
#include "export/model_export.h"
#include "recommend/recommender.h"

namespace pl::cli {

int runEmbed(const ParsedArgs& args) {
  if (!args.has("run")) return fail("--run NAME is required", kExitUsage);
  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto report = computeEmbeddings(**project, args.value("run"), context);
  bar.finish();
  if (!report) return fail(report.error().message);
  std::printf("Embedded %lld products (%lld dimensions) in %.1f s\n",
              static_cast<long long>(report->products), static_cast<long long>(report->dim),
              report->seconds);
  return kExitOk;
}

namespace {

int runModelExport(const ParsedArgs& args) {
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  auto report = exportModel(**project, args.value("run"), args.value("out"));
  if (!report) return fail(report.error().message);
  if (!report->warning.empty()) std::fprintf(stderr, "warning: %s\n", report->warning.c_str());
  std::printf("Exported run '%s': %lld tensors, %lld floats, %lld example products:\n", args.value("run").c_str(),
              static_cast<long long>(report->tensors), static_cast<long long>(report->parameters),
              static_cast<long long>(report->examples));
  for (const auto& f : report->files) std::printf("  %s\n", f.c_str());
  return kExitOk;
}

int runRecommendationsExport(const ParsedArgs& args) {
  RecommendOptions o;
  o.runName = args.value("run");
  if (args.has("k")) {
    auto k = args.integer("k", 1, 1000);
    if (!k) return fail(k.error().message, kExitUsage);
    o.k = static_cast<int>(*k);
  }
  if (args.has("metadata") || args.has("thumbnail")) {
    return fail("--metadata and --thumbnail are not for --format recommendations", kExitUsage);
  }
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  try {
    auto products = exportRecommendations(**project, o, args.value("out"), context);
    bar.finish();
    if (!products) return fail(products.error().message);
    std::printf("Exported up to %d recommendations for each of %lld products:\n  %s\n", o.k,
                static_cast<long long>(*products), args.value("out").c_str());
    return kExitOk;
  } catch (const StoreError& e) {
    return fail("cannot read " + args.positional[0] + ": " + e.what());
  }
}

}  // namespace

int runExport(const ParsedArgs& args) {
  const bool recommendations = args.value("format") == "recommendations";
  if (args.has("k") && !recommendations) return fail("--k is for --format recommendations", kExitUsage);
  // Recommendations need no run: co-purchases and popularity come from the
  // baskets; a run adds its nearest products.
  if (recommendations) {
    if (!args.has("out")) return fail("--out PATH is required", kExitUsage);
    return runRecommendationsExport(args);
  }
  if (!args.has("run") || !args.has("out")) return fail("--run NAME and --out PATH are required", kExitUsage);
  if (args.value("format") == "model") return runModelExport(args);
  auto format = parseEmbeddingFormat(args.value("format", "npy"));
  if (!format) return fail(format.error().message, kExitUsage);
  EmbeddingExportOptions o;
  o.runName = args.value("run");
  o.format = *format;
  o.out = args.value("out");
  if (args.has("metadata")) o.metadata = splitCommaList(args.value("metadata"));
  if (args.has("thumbnail")) {
    auto thumbnail = args.integer("thumbnail", 1, 256);
    if (!thumbnail) return fail(thumbnail.error().message + " pixels", kExitUsage);
    o.thumbnail = static_cast<int>(*thumbnail);
  }
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto report = exportEmbeddings(**project, o, context);
  bar.finish();
  if (!report) return fail(report.error().message);
  std::printf("Exported %lld products (%lld dimensions):\n", static_cast<long long>(report->rows),
              static_cast<long long>(report->dim));
  for (const auto& f : report->files) std::printf("  %s\n", f.c_str());
  if (report->spriteTile > 0) {
    std::printf("Sprite: %d px tiles, %lld products without a picture left blank\n", report->spriteTile,
                static_cast<long long>(report->missingPictures));
  }
  return kExitOk;
}

}  // namespace pl::cli
