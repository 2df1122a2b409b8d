// `report`: the run report as one self-contained HTML page (core/export/run_report.h).
#include <cstdio>

#include "cli/commands.h"
#include "export/run_report.h"

namespace pl::cli {

int runReport(const ParsedArgs& args) {
  if (!args.has("run") || !args.has("out")) return fail("--run NAME and --out FILE.html are required", kExitUsage);
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  if (Status s = writeRunReport(**project, args.value("run"), args.value("out")); !s) return fail(s.error().message);
  std::printf("Wrote the report of run '%s' to %s\n", args.value("run").c_str(), args.value("out").c_str());
  return kExitOk;
}

}  // namespace pl::cli
