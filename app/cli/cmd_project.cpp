// productlens-cli project: a 2D map of a run's embeddings, stored in the project.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "model/torch_runtime.h"
#include "projection/projection.h"

namespace pl::cli {

namespace {

// Fills `o` from the command line; returns the usage problem, if any.
std::string readOptions(const ParsedArgs& args, ProjectionOptions& o) {
  auto method = parseProjectionMethod(args.value("method", "pca"));
  if (!method) return method.error().message;
  o.method = *method;
  if (args.has("neighbors")) {
    auto engine = parseNeighborMethod(args.value("neighbors"));
    if (!engine) return engine.error().message;
    o.neighbors = *engine;
  }
  // Strict numbers: "--perplexity 3O" is a usage error, not a silent 3; the
  // bounds also keep the int conversions defined.
  FlagReader read(args);
  read.real("perplexity", 1, 1e4, o.perplexity)
      .real("learning-rate", 0, 1e9, o.learningRate)
      .integer("iterations", 0, 1'000'000, o.tsneIterations)
      .integer("n-neighbors", 2, 1000, o.nNeighbors)
      .real("min-dist", 0, 100, o.minDist)
      .integer("epochs", 0, 100'000, o.umapEpochs)
      .integer("seed", 0, 1'000'000'000'000'000, o.seed)
      .integer("threads", 0, 256, o.threads);
  return read.error();
}

void printResult(const Projection& p, const std::string& runName, const std::string& out, bool json) {
  if (json) {
    nlohmann::json j;
    j["run"] = runName;
    j["method"] = projectionMethodName(p.method);
    j["points"] = p.points();
    j["seconds"] = p.seconds;
    j["params"] = nlohmann::json::parse(p.paramsJson);
    if (!p.explainedVariance.empty()) j["explained_variance"] = p.explainedVariance;
    if (!out.empty()) j["out"] = out;
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  std::printf("Mapped %lld products of run '%s' with %s in %.1f s\n", static_cast<long long>(p.points()),
              runName.c_str(), projectionMethodName(p.method).c_str(), p.seconds);
  if (p.explainedVariance.size() >= 2) {
    std::printf("Explained variance: PC1 %.1f %%, PC2 %.1f %% (together %.1f %%)\n",
                100 * p.explainedVariance[0], 100 * p.explainedVariance[1],
                100 * (p.explainedVariance[0] + p.explainedVariance[1]));
  }
  if (!out.empty()) std::printf("Wrote %s\n", out.c_str());
}

}  // namespace

int runProject(const ParsedArgs& args) {
  if (!args.has("run")) return fail("--run NAME is required", kExitUsage);
  ProjectionOptions options;
  if (std::string problem = readOptions(args, options); !problem.empty()) return fail(problem, kExitUsage);
  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);
  // Exact kNN and PCA are matrix products: LibTorch threads as asked.
  if (options.threads > 0) setTorchThreads(options.threads);
  JobContext context;
  TerminalProgress bar(args.has("quiet") || args.has("json"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto projection = runProjectionJob(**project, args.value("run"), options, context);
  bar.finish();
  if (!projection) return fail(projection.error().message);
  std::string out = args.value("out");
  if (!out.empty()) {
    if (Status s = exportProjectionCsv((*project)->db(), *projection, out); !s) return fail(s.error().message);
  }
  printResult(*projection, args.value("run"), out, args.has("json"));
  return kExitOk;
}

}  // namespace pl::cli
