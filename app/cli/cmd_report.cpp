// `report`: the run report as one self-contained HTML page (core/export/run_report.h);
// `import-model`: a model exported from another project becomes a run here.
#include <cstdio>

#include "cli/commands.h"
#include "export/model_import.h"
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

int runImportModel(const ParsedArgs& args) {
  if (!args.has("from") || !args.has("name")) return fail("--from DIR and --name NAME are required", kExitUsage);
  auto project = Project::open(args.positional[0], OpenMode::Existing);
  if (!project) return fail(project.error().message);
  auto id = importModel(**project, args.value("from"), args.value("name"));
  if (!id) return fail(id.error().message);
  std::printf("Imported the model in %s as run '%s'; embed the catalog with: productlens-cli embed %s --run %s\n",
              args.value("from").c_str(), args.value("name").c_str(), args.positional[0].c_str(),
              args.value("name").c_str());
  return kExitOk;
}

}  // namespace pl::cli
