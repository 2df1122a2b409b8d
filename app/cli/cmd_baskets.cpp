// `baskets`: co-purchase retrieval on the project's held-out baskets
// (eval/basket_eval.h): Recall@k and NDCG@k of a run's embeddings and of the
// TF-IDF, popularity and co-occurrence baselines, scored on the same queries
// and stored.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/arg_parser.h"
#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "eval/basket_eval.h"
#include "store/run_store.h"
#include "train/run_config.h"

namespace pl::cli {

namespace {

nlohmann::json slice(const BasketScores::Slice& s, int k) {
  return {{"queries", s.queries},
          {"recall_at_" + std::to_string(k), s.recallAtK},
          {"ndcg_at_" + std::to_string(k), s.ndcgAtK}};
}

nlohmann::json toJson(const BasketScores& s) {
  return {{"subject", s.subject},
          {"k", s.k},
          {"baskets", s.baskets},
          {"queries", s.queries},
          {"training_baskets", s.trainingBaskets},
          {"recall_at_" + std::to_string(s.k), s.recallAtK},
          {"ndcg_at_" + std::to_string(s.k), s.ndcgAtK},
          {"tail", slice(s.tail, s.k)},
          {"cold", slice(s.cold, s.k)},
          {"seconds", s.seconds}};
}

}  // namespace

const std::vector<OptionSpec>& basketsOptions() {
  static const std::vector<OptionSpec> options = {
      {"run", "NAME", "the embedded run to score"},
      {"baseline", "tfidf,popularity,cooccurrence",
       "baselines to score too (default: none with --run, else all three)"},
      {"k", "K", "list length (default 10)"},
      {"json", "", "machine-readable output"},
      {"quiet", "", "no progress output"}};
  return options;
}

int runBaskets(const ParsedArgs& args) {
  const bool json = args.has("json");
  int k = 10;
  if (args.has("k")) {
    auto v = args.integer("k", 1, 1000);
    if (!v) return fail(v.error().message, kExitUsage);
    k = static_cast<int>(*v);
  }
  auto baselines =
      splitCommaList(args.value("baseline", args.has("run") ? "" : "tfidf,popularity,cooccurrence"));
  for (const auto& b : baselines) {
    if (b != "tfidf" && b != "popularity" && b != "cooccurrence") {
      return fail("unknown baseline '" + b + "' (tfidf, popularity, cooccurrence)", kExitUsage);
    }
  }
  // Writable: the held-out baskets are drawn on first use and results are stored.
  auto project = Project::open(args.positional[0], OpenMode::Existing);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet") || json);
  bar.attach(context);
  StopOnSignal stopOnSignal(context);

  std::vector<std::string> textFields{"title"};
  std::vector<BasketScores> results;
  if (args.has("run")) {
    if (auto run = findRun((*project)->db(), args.value("run"))) {
      if (auto config = RunConfig::fromJson(run->configJson, "run")) {
        if (!config->textInputs().empty()) textFields = config->textInputs();
      }
    }
    auto r = evaluateRunBaskets(**project, args.value("run"), k, context);
    if (!r) return fail(r.error().message);
    results.push_back(*r);
  }
  for (const auto& b : baselines) {
    auto r = b == "tfidf"        ? evaluateTfidfBaskets(**project, textFields, k, context)
             : b == "popularity" ? evaluatePopularityBaskets(**project, k, context)
                                 : evaluateCooccurrenceBaskets(**project, k, context);
    if (!r) return fail(r.error().message);
    results.push_back(*r);
  }
  bar.finish();
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) out.push_back(toJson(r));
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (!results.empty()) {
    std::printf("co-purchase retrieval: %lld queries from %lld held-out baskets (%lld baskets left for "
                "training); each item queries the catalog, its basket's other items are relevant\n",
                static_cast<long long>(results[0].queries), static_cast<long long>(results[0].baskets),
                static_cast<long long>(results[0].trainingBaskets));
  }
  const std::string recall = "recall@" + std::to_string(k), ndcg = "ndcg@" + std::to_string(k);
  std::printf("%-20s %10s %10s %12s %12s %9s\n", "subject", recall.c_str(), ndcg.c_str(),
              ("tail " + recall).c_str(), ("cold " + recall).c_str(), "seconds");
  for (const auto& r : results) {
    std::printf("%-20s %10.4f %10.4f %12.4f %12.4f %9.1f\n", r.subject.c_str(), r.recallAtK, r.ndcgAtK,
                r.tail.recallAtK, r.cold.recallAtK, r.seconds);
  }
  if (!results.empty()) {
    std::printf("tail: %lld queries whose product is in fewer than %lld training baskets; cold: %lld queries "
                "whose product is one of the cold products, never in a training basket\n",
                static_cast<long long>(results[0].tail.queries), static_cast<long long>(kTailBaskets),
                static_cast<long long>(results[0].cold.queries));
  }
  return kExitOk;
}

}  // namespace pl::cli
