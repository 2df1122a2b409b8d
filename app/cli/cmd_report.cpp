// `report`: the run report as one self-contained HTML page (core/export/run_report.h),
// and on request as PDF, printed by the workbench binary: the CLI stays Qt-free;
// `import-model`: a model exported from another project becomes a run here.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "cli/commands.h"
#include "export/model_import.h"
#include "export/run_report.h"

extern char** environ;

namespace pl::cli {

namespace {

// The workbench installed beside this program (the .deb and the build tree
// both put the two executables in one folder).
std::string workbenchBinary() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto gui = self.parent_path() / "productlens";
  return std::filesystem::exists(gui, error) ? gui.string() : std::string();
}

// Runs `productlens --print-report HTML --to PDF` offscreen; its stderr shows through.
Status printPdf(const std::string& html, const std::string& pdf) {
  const std::string gui = workbenchBinary();
  if (gui.empty()) {
    return Error{"--pdf needs the workbench (productlens) installed beside productlens-cli; the HTML report was written"};
  }
  std::vector<std::string> args{gui, "--print-report", html, "--to", pdf};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env{"QT_QPA_PLATFORM=offscreen"};
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind("QT_QPA_PLATFORM=", 0) != 0) env.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, gui.c_str(), nullptr, nullptr, argv.data(), envp.data()) != 0) {
    return Error{"cannot start " + gui + " to print the PDF"};
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error{"printing the PDF " + pdf + " failed (see the message above)"};
  }
  return {};
}

}  // namespace

int runReport(const ParsedArgs& args) {
  if (!args.has("run") || !args.has("out")) return fail("--run NAME and --out FILE.html are required", kExitUsage);
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  if (Status s = writeRunReport(**project, args.value("run"), args.value("out")); !s) return fail(s.error().message);
  std::printf("Wrote the report of run '%s' to %s\n", args.value("run").c_str(), args.value("out").c_str());
  if (args.has("pdf")) {
    if (Status s = printPdf(args.value("out"), args.value("pdf")); !s) return fail(s.error().message);
    std::printf("Wrote its PDF to %s\n", args.value("pdf").c_str());
  }
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
