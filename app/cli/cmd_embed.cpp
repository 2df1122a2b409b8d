#include <cstdio>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "embed/embed_job.h"
#include "export/npy_export.h"

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

int runExport(const ParsedArgs& args) {
  if (!args.has("run") || !args.has("out")) return fail("--run NAME and --out DIR are required", kExitUsage);
  std::string format = args.value("format", "npy");
  if (format != "npy") {
    return fail("format '" + format + "' is not available yet; use npy", kExitUsage);
  }
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  auto rows = exportEmbeddingsNpy(**project, args.value("run"), args.value("out"));
  if (!rows) return fail(rows.error().message);
  std::printf("Wrote %s/embeddings.npy and ids.txt (%lld products)\n", args.value("out").c_str(),
              static_cast<long long>(*rows));
  return kExitOk;
}

}  // namespace pl::cli
