// `efficiency`: the label-efficiency table of issue 6 — test accuracy and
// macro-F1 against the share of labels, for pretrained+probe,
// pretrained+full, scratch+full and TF-IDF + logistic regression.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/finetune_args.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "finetune/label_efficiency.h"

namespace pl::cli {

namespace {

void printJson(const EfficiencyReport& r) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : r.points) {
    points.push_back({{"method", p.method},         {"subject", p.subject},   {"fraction", p.fraction},
                      {"train_items", p.trainItems}, {"test_items", p.testItems}, {"accuracy", p.accuracy},
                      {"macro_f1", p.macroF1},       {"seconds", p.seconds}});
  }
  nlohmann::json out = {{"label", r.label}, {"base_run", r.baseRun}, {"status", r.status},
                        {"fractions", r.fractions}, {"points", points}};
  std::printf("%s\n", out.dump(2).c_str());
}

void printTable(const EfficiencyReport& r) {
  int64_t testItems = r.points.empty() ? 0 : r.points.front().testItems;
  std::printf("label %s, run %s: scored on the fixed test split (%lld products); cells: accuracy / macro-F1\n",
              r.label.c_str(), r.baseRun.c_str(), static_cast<long long>(testItems));
  std::printf("%-18s", "method");
  for (double f : r.fractions) {
    char head[32];
    std::snprintf(head, sizeof head, "%g%% labels", f * 100.0);
    std::printf(" %17s", head);
  }
  std::printf("\n");
  for (const auto& method : efficiencyMethods()) {
    std::printf("%-18s", method.c_str());
    for (double f : r.fractions) {
      const EfficiencyPoint* p = r.find(method, f);
      if (!p) {
        std::printf(" %17s", "-");
        continue;
      }
      char cell[40];
      std::snprintf(cell, sizeof cell, "%.4f / %.4f", p->accuracy, p->macroF1);
      std::printf(" %17s", cell);
    }
    std::printf("\n");
  }
  double seconds = 0;
  for (const auto& p : r.points) seconds += p.seconds;
  std::printf("%.0f s of training and scoring; the points are stored in the project\n", seconds);
}

}  // namespace

int runEfficiency(const ParsedArgs& args) {
  if (!args.has("label") || !args.has("run")) return fail("--label FIELD and --run BASE are required", kExitUsage);
  EfficiencyOptions o;
  o.label = args.value("label");
  o.baseRun = args.value("run");
  if (args.has("fractions")) {
    auto f = parseFractions(args.value("fractions"), "fractions");
    if (!f) return fail(f.error().message, kExitUsage);
    o.fractions = *f;
  }
  if (Status s = applyFinetuneSettings(args, o.finetune); !s) return fail(s.error().message, kExitUsage);
  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);
  const bool json = args.has("json");
  JobContext context;
  TerminalProgress bar(args.has("quiet") || json);
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto report = runLabelEfficiency(**project, o, context);
  bar.finish();
  if (!report) return fail(report.error().message);
  if (json) {
    printJson(*report);
  } else {
    printTable(*report);
  }
  if (report->status != "finished") return fail("stopped; the points above were completed and stored");
  return kExitOk;
}

}  // namespace pl::cli
