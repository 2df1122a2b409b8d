// `finetune-retrieval`: a pretrained run trained further on co-purchased
// pairs of the training baskets (finetune/retrieval_finetune.h), then
// embedded, so `baskets --run NEW` can score it at once.
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "embed/embed_job.h"
#include "finetune/retrieval_finetune.h"

namespace pl::cli {

const std::vector<OptionSpec>& finetuneRetrievalOptions() {
  static const std::vector<OptionSpec> options = {
      {"run", "BASE", "the pretrained run to start from"},
      {"name", "NEW", "the new run (kind finetune-retrieval)"},
      {"epochs", "N", "epochs at most; early stopping on validation baskets may end sooner (default 5)"},
      {"lr", "LR", "peak learning rate (default 1e-3)"},
      {"batch", "B", "pairs per step (default: the base run's batch)"},
      {"patience", "N", "epochs without a better validation Recall@10 before stopping (default 2)"},
      {"negatives", "N", "catalog products drawn per step as negatives (default 128; 0: in-batch only)"},
      {"in-batch", "", "also the batch's other pairs as negatives (popular products as negatives)"},
      {"seed", "S", "random seed (default 42)"},
      {"threads", "T", "LibTorch threads (default: the base run's setting)"},
      {"json", "", "print the report as JSON"},
      {"quiet", "", "no progress output"}};
  return options;
}

int runFinetuneRetrieval(const ParsedArgs& args) {
  if (!args.has("run") || !args.has("name")) return fail("--run BASE and --name NEW are required", kExitUsage);
  RetrievalFinetuneOptions options;
  options.baseRun = args.value("run");
  options.runName = args.value("name");
  // Whole numbers from 1 (negatives from 0) to 1e9, and a learning rate in
  // (0, 1e9]; an error names the flag.
  constexpr int64_t kMost = 1'000'000'000;
  FlagReader read(args);
  read.integer("negatives", 0, kMost, options.catalogNegatives)
      .integer("epochs", 1, kMost, options.epochs)
      .integer("batch", 1, kMost, options.batch)
      .integer("patience", 1, kMost, options.patience)
      .integer("seed", 1, kMost, options.seed)
      .integer("threads", 1, kMost, options.threads);
  if (!read.ok()) return fail(read.error(), kExitUsage);
  if (args.has("lr")) {
    auto lr = args.real("lr", 0, 1e9);
    if (!lr || !(*lr > 0)) {
      return fail("--lr must be a number in (0, 1e+09] (got '" + args.value("lr") + "')", kExitUsage);
    }
    options.lr = *lr;
  }
  options.inBatchNegatives = args.has("in-batch");
  const bool json = args.has("json");
  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);

  JobContext context;
  TerminalProgress bar(args.has("quiet") || json);
  bar.attach(context);
  double lastValidation = NAN;
  context.setMetricsSink([&bar, &lastValidation](int64_t step, const std::map<std::string, double>& m) {
    if (auto val = m.find("val/loss"); val != m.end()) lastValidation = val->second;
    auto loss = m.find("loss");
    if (loss == m.end()) return;
    char text[120];
    std::snprintf(text, sizeof text, "step %lld loss %.4f val %.4f", static_cast<long long>(step),
                  loss->second, lastValidation);
    bar.setDetail(text);
  });
  StopOnSignal stopOnSignal(context);
  auto report = runRetrievalFinetuning(**project, options, context);
  if (!report) {
    bar.finish();
    return fail(report.error().message);
  }
  bar.setDetail("");
  if (report->status == "stopped") {
    // The stop request would cancel embedding too; the best weights are kept.
    bar.finish();
    std::printf("Run '%s' stopped after %lld steps; its best checkpoint (epoch %d) is kept. Embed it with: "
                "productlens-cli embed %s --run %s\n",
                options.runName.c_str(), static_cast<long long>(report->steps), report->bestEpoch,
                args.positional[0].c_str(), options.runName.c_str());
    return kExitOk;
  }
  auto embedded = computeEmbeddings(**project, options.runName, context);
  bar.finish();
  if (!embedded) return fail(embedded.error().message);
  if (json) {
    nlohmann::json out = {{"run_id", report->runId},
                          {"status", report->status},
                          {"epochs", report->epochs},
                          {"best_epoch", report->bestEpoch},
                          {"base_val_loss", report->baseValidationLoss},
                          {"best_val_loss", report->bestValidationLoss},
                          {"base_val_recall_at_10", report->baseValidationRecall},
                          {"best_val_recall_at_10", report->bestValidationRecall},
                          {"train_pairs", report->trainPairs},
                          {"validation_pairs", report->validationPairs},
                          {"train_baskets", report->trainBaskets},
                          {"validation_baskets", report->validationBaskets},
                          {"steps", report->steps},
                          {"seconds", report->seconds},
                          {"embedded", embedded->products}};
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  std::printf("Run '%s' %s after %d epoch(s), %lld steps in %.1f s on %lld pairs of %lld baskets\n",
              options.runName.c_str(), report->status.c_str(), report->epochs,
              static_cast<long long>(report->steps), report->seconds,
              static_cast<long long>(report->trainPairs), static_cast<long long>(report->trainBaskets));
  std::printf("Validation baskets: Recall@10 %.4f, loss %.4f (base run) -> Recall@10 %.4f, loss %.4f "
              "(epoch %d, kept); embedded %lld products\n",
              report->baseValidationRecall, report->baseValidationLoss, report->bestValidationRecall,
              report->bestValidationLoss, report->bestEpoch, static_cast<long long>(embedded->products));
  std::printf("Score it: productlens-cli baskets %s --run %s\n", args.positional[0].c_str(),
              options.runName.c_str());
  return kExitOk;
}

}  // namespace pl::cli
