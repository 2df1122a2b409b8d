// `finetune`: a classifier on a labelled subset, from a pretrained run or
// from scratch; `predict`: a fine-tuned run labels the products.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/finetune_args.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "finetune/finetune_job.h"
#include "finetune/finetune_store.h"
#include "finetune/prediction_csv.h"
#include "store/run_store.h"

namespace pl::cli {

namespace {

// Catalog ids, one a line ('#' comments and blank lines skipped), as products.id.
Result<std::vector<int64_t>> readSubset(Database& db, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read " + path};
  std::vector<int64_t> ids;
  auto st = db.prepare("SELECT id FROM products WHERE ext_id = ?");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first);
    st.bind(1, line);
    bool found = false;
    while (st.step()) {
      ids.push_back(st.int64(0));
      found = true;
    }
    st.reset();
    if (!found) return Error{path + ":" + std::to_string(number) + ": no product with id '" + line + "'"};
  }
  if (ids.empty()) return Error{path + " lists no product ids"};
  return ids;
}

Result<RunConfig> scratchConfig(const ParsedArgs& args) {
  if (!args.has("config")) return RunConfig{};
  std::ifstream in(args.value("config"));
  if (!in) return Error{"cannot read " + args.value("config")};
  std::stringstream text;
  text << in.rdbuf();
  return RunConfig::fromJson(text.str(), args.value("config"));
}

void printReport(const FinetuneOptions& o, const FinetuneReport& r, bool json) {
  if (json) {
    nlohmann::json out = {{"run", o.runName},
                          {"run_id", r.runId},
                          {"status", r.status},
                          {"base_run", o.baseRun},
                          {"mode", finetuneModeName(o.mode)},
                          {"label", o.label},
                          {"epochs", r.epochs},
                          {"best_epoch", r.bestEpoch},
                          {"best_validation_accuracy", r.bestValidationAccuracy},
                          {"train_items", r.trainItems},
                          {"validation_items", r.validationItems},
                          {"dropped_test_items", r.droppedTestItems},
                          {"test_items", r.test.items},
                          {"accuracy", r.test.accuracy},
                          {"macro_f1", r.test.macroF1},
                          {"seconds", r.seconds}};
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("Run '%s' %s: %s fine-tune of %s on %s, %d epochs (best %d, validation accuracy %.4f)\n",
              o.runName.c_str(), r.status.c_str(), finetuneModeName(o.mode).c_str(),
              o.baseRun.empty() ? "a random initialisation" : ("run '" + o.baseRun + "'").c_str(), o.label.c_str(),
              r.epochs, r.bestEpoch, r.bestValidationAccuracy);
  std::printf("Trained on %lld products, stopped by %lld", static_cast<long long>(r.trainItems),
              static_cast<long long>(r.validationItems));
  if (r.droppedTestItems > 0) {
    std::printf(" (%lld chosen products are in the test split and were left out)",
                static_cast<long long>(r.droppedTestItems));
  }
  std::printf("\nTest split (%lld products): accuracy %.4f, macro-F1 %.4f; %.1f s\n",
              static_cast<long long>(r.test.items), r.test.accuracy, r.test.macroF1, r.seconds);
}

}  // namespace

int runFinetune(const ParsedArgs& args) {
  if (!args.has("label")) return fail("--label FIELD is required", kExitUsage);
  if (args.has("run") == args.has("scratch")) {
    return fail("give --run BASE (a pretrained run) or --scratch (random initialisation)", kExitUsage);
  }
  if (args.has("config") && !args.has("scratch")) {
    return fail("--config goes with --scratch (a pretrained run keeps its own)", kExitUsage);
  }
  if (args.has("fraction") && args.has("subset")) return fail("give --fraction or --subset, not both", kExitUsage);
  FinetuneOptions o;
  o.label = args.value("label");
  o.baseRun = args.value("run");
  auto mode = parseFinetuneMode(args.value("mode", "full"));
  if (!mode) return fail(mode.error().message, kExitUsage);
  o.mode = *mode;
  if (Status s = applyFinetuneSettings(args, o); !s) return fail(s.error().message, kExitUsage);
  if (args.has("fraction")) {
    auto f = parseFractions(args.value("fraction"), "fraction");
    if (!f || f->size() != 1) return fail("--fraction takes one share in (0, 1], e.g. 0.1", kExitUsage);
    o.fraction = f->front();
  }
  auto config = scratchConfig(args);
  if (!config) return fail(config.error().message, kExitUsage);
  o.scratchConfig = *config;

  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);
  Database& db = (*project)->db();
  if (args.has("subset")) {
    auto ids = readSubset(db, args.value("subset"));
    if (!ids) return fail(ids.error().message);
    o.subsetIds = std::move(*ids);
  }
  o.runName = args.value("name");
  if (o.runName.empty()) {
    std::string tag = finetuneRunTag(o.label, o.subsetIds.empty() ? o.fraction : 1);
    if (!o.subsetIds.empty()) tag = tag.substr(0, tag.size() - std::string("-100pct").size()) + "-subset";
    o.runName = (o.baseRun.empty() ? std::string("scratch") : o.baseRun + "-ft") + "-" +
                finetuneModeName(o.mode) + "-" + tag;
  }
  if (findRun(db, o.runName)) {
    if (!args.has("replace")) {
      return fail("a run named '" + o.runName + "' already exists; pass --name NAME or --replace", kExitUsage);
    }
    if (Status d = deleteFinetuneRun(**project, o.runName); !d) return fail(d.error().message);
  }

  const bool json = args.has("json");
  JobContext context;
  TerminalProgress bar(args.has("quiet") || json);
  bar.attach(context);
  double validationAccuracy = -1;
  context.setMetricsSink([&](int64_t step, const std::map<std::string, double>& m) {
    if (auto v = m.find("val/accuracy"); v != m.end()) validationAccuracy = v->second;
    auto loss = m.find("loss");
    auto epoch = m.find("epoch");
    if (loss == m.end() || epoch == m.end()) return;
    char text[160];
    std::snprintf(text, sizeof text, "epoch %.1f step %lld loss %.4f", epoch->second, static_cast<long long>(step),
                  loss->second);
    std::string detail = text;
    if (validationAccuracy >= 0) {
      std::snprintf(text, sizeof text, " val acc %.4f", validationAccuracy);
      detail += text;
    }
    bar.setDetail(detail);
  });
  StopOnSignal stopOnSignal(context);
  auto report = runFinetuning(**project, o, context);
  bar.finish();
  if (!report) return fail(report.error().message);
  printReport(o, *report, json);
  return kExitOk;
}

int runPredict(const ParsedArgs& args) {
  if (!args.has("run")) return fail("--run NAME (a fine-tuned run) is required", kExitUsage);
  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  const std::string runName = args.value("run");
  auto count = predictWithRun(**project, runName, args.has("unlabelled-only"), context);
  bar.finish();
  if (!count) return fail(count.error().message);
  Database& db = (*project)->db();
  auto head = loadFinetuneHead(db, findRun(db, runName)->id);
  std::printf("Run '%s' labelled %lld products by %s; the predictions are stored in the project\n",
              runName.c_str(), static_cast<long long>(*count), head ? head->labelName.c_str() : "its label");
  if (args.has("out")) {
    auto rows = exportPredictionsCsv(db, findRun(db, runName)->id, args.value("out"));
    if (!rows) return fail(rows.error().message);
    std::printf("Wrote %s (%lld rows)\n", args.value("out").c_str(), static_cast<long long>(*rows));
  }
  return kExitOk;
}

}  // namespace pl::cli
