#include <cstdio>

#include "catalog/demo_project.h"
#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"

namespace pl::cli {

int runDemo(const ParsedArgs& args) {
  auto project = Project::open(args.positional[0], OpenMode::CreateIfMissing);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto report =
      buildDemoCatalog(**project, args.value("data-dir", defaultFashionMnistDir()), context);
  bar.finish();
  if (!report) return fail(report.error().message);
  std::printf("Demo catalog: %lld Fashion-MNIST products with images in %.2f s -> %s\n",
              static_cast<long long>(report->products), report->seconds,
              args.positional[0].c_str());
  return kExitOk;
}

}  // namespace pl::cli
