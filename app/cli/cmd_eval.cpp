// `eval`: how well a run's embeddings (and the classical baselines, on the
// same products) group products by a label none of them was trained on.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/arg_parser.h"
#include "cli/commands.h"
#include "cli/finetune_args.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "eval/neighbour_eval.h"
#include "eval/probe_eval.h"
#include "eval/stored_scores.h"
#include "store/label_choices.h"
#include "store/run_store.h"

namespace pl::cli {

namespace {

nlohmann::json toJson(const NeighbourScores& s) {
  return {{"source", s.source},        {"label", s.label},       {"items", s.items},
          {"classes", s.classes},      {"k", s.k},               {"knn_accuracy", s.knnAccuracy},
          {"precision_at_k", s.precisionAtK}, {"seconds", s.seconds}};
}

nlohmann::json toJson(const ProbeResult& r) {
  return {{"source", r.source},       {"label", r.label},
          {"fraction", r.fraction},   {"train_items", r.trainItems},
          {"test_items", r.testItems}, {"accuracy", r.scores.accuracy},
          {"macro_f1", r.scores.macroF1}, {"seconds", r.seconds}};
}

// Keeps a score with the project; a store failure costs the record, not the answer.
void keep(Database& db, const EvalResult& result) {
  try {
    saveEvalResult(db, result);
  } catch (const StoreError& e) {
    std::fprintf(stderr, "warning: the %s score of %s could not be stored: %s\n", result.method.c_str(),
                 result.subject.c_str(), e.what());
  }
}

// Prints results as one JSON array (each through its toJson overload).
template <typename Result>
int printJsonArray(const std::vector<Result>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) out.push_back(toJson(r));
  std::printf("%s\n", out.dump(2).c_str());
  return kExitOk;
}

// The label-efficiency table: a probe per source and fraction.
int runProbes(Project& project, const ParsedArgs& args, const std::vector<ProbeSource>& sources,
              const std::vector<double>& fractions, JobContext& context, TerminalProgress& bar, bool json) {
  std::vector<ProbeResult> results;
  for (const auto& source : sources) {
    auto r = evaluateProbes(project, source, args.value("label"), fractions, context);
    if (!r) return fail(r.error().message);
    for (const auto& point : *r) {
      keep(project.db(), probeEvalResult(point, evalSubject(source), args.value("label")));
    }
    results.insert(results.end(), r->begin(), r->end());
  }
  bar.finish();
  if (json) return printJsonArray(results);
  if (!results.empty()) {
    std::printf("label %s: linear probe, scored on the fixed test split (%lld products)\n",
                results[0].label.c_str(), static_cast<long long>(results[0].testItems));
  }
  std::printf("%-20s %9s %8s %9s %9s %8s\n", "source", "fraction", "train", "accuracy", "macro-F1",
              "seconds");
  for (const auto& r : results) {
    std::printf("%-20s %9.3f %8lld %9.4f %9.4f %8.1f\n", r.source.c_str(), r.fraction,
                static_cast<long long>(r.trainItems), r.scores.accuracy, r.scores.macroF1, r.seconds);
  }
  return kExitOk;
}

// "--label FIELD is required; this project offers: articleType, ...": the
// labels a person can choose from, named as --label takes them.
std::string missingLabelMessage(const std::string& path) {
  std::string message = "--label FIELD is required";
  auto project = Project::open(path, OpenMode::ReadOnly);
  if (!project) return message;
  std::string names;
  try {
    for (const auto& choice : listLabelChoices((*project)->db())) {
      names += (names.empty() ? "" : ", ") + choice.name;
      if (choice.display != choice.name) names += " (" + choice.display + ")";
    }
  } catch (const StoreError&) {
    return message;
  }
  return names.empty() ? message + "; the project has no categorical field yet"
                       : message + "; this project offers: " + names;
}

}  // namespace

int runEval(const ParsedArgs& args) {
  if (!args.has("label")) return fail(missingLabelMessage(args.positional[0]), kExitUsage);
  const bool json = args.has("json");
  int k = 10;
  if (args.has("k")) {
    auto v = args.integer("k", 1, 1000);
    if (!v) return fail(v.error().message, kExitUsage);
    k = static_cast<int>(*v);
  }
  auto baselines = splitCommaList(args.value("baseline", args.has("run") ? "" : "tfidf"));
  for (const auto& b : baselines) {
    if (b != "tfidf" && b != "lsa" && b != "pixels") {
      return fail("unknown baseline '" + b + "' (tfidf, lsa, pixels)", kExitUsage);
    }
    if (b == "pixels" && !args.has("probe")) {
      return fail("the pixels baseline is a linear probe; add --probe FRACTIONS", kExitUsage);
    }
  }
  std::vector<double> fractions;
  if (args.has("probe")) {
    auto f = parseFractions(args.value("probe"), "probe");
    if (!f) return fail(f.error().message, kExitUsage);
    fractions = *f;
  }
  // Writable: the scores are stored with the project (eval_results).
  auto project = Project::open(args.positional[0], OpenMode::Existing);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet") || json);
  bar.attach(context);
  StopOnSignal stopOnSignal(context);

  std::vector<std::string> textFields{"title"};
  int64_t dim = 128;
  ImageShape pixels{32, 1, true};
  const bool picturedOnly = args.has("pictured-only");
  if (args.has("run")) {
    if (auto run = findRun((*project)->db(), args.value("run"))) {
      if (auto config = RunConfig::fromJson(run->configJson, "run")) {
        if (!config->textInputs().empty()) textFields = config->textInputs();
        dim = config->embeddingDim;
        if (config->usesImages()) pixels = config->image;  // the pixels the run's encoder saw
      }
    }
  }
  if (args.has("probe")) {
    std::vector<ProbeSource> sources;
    if (args.has("run")) sources.push_back({ProbeSource::Kind::Run, args.value("run")});
    for (const auto& b : baselines) {
      ProbeSource source{b == "lsa" ? ProbeSource::Kind::Lsa : ProbeSource::Kind::Tfidf, "", textFields, dim};
      if (b == "pixels") source.kind = ProbeSource::Kind::Pixels;
      source.pixels = pixels;
      sources.push_back(source);
    }
    return runProbes(**project, args, sources, fractions, context, bar, json);
  }

  std::vector<NeighbourScores> results;
  if (args.has("run")) {
    auto r = evaluateRunNeighbours(**project, args.value("run"), args.value("label"), k, context,
                                   picturedOnly);
    if (!r) return fail(r.error().message);
    // A score over the pictured products only is not the label's score: not stored.
    if (!picturedOnly) keep((*project)->db(), knnEvalResult(*r, args.value("run"), args.value("label")));
    results.push_back(*r);
  }
  for (const auto& b : baselines) {
    auto r = evaluateTfidfNeighbours(**project, textFields, args.value("label"), k, b == "lsa" ? dim : 0,
                                     context, picturedOnly);
    if (!r) return fail(r.error().message);
    const std::string subject = b == "lsa" ? "lsa-" + std::to_string(dim) : "tf-idf";
    if (!picturedOnly) keep((*project)->db(), knnEvalResult(*r, subject, args.value("label")));
    results.push_back(*r);
  }
  bar.finish();
  if (json) return printJsonArray(results);
  if (!results.empty()) {
    std::printf("label %s: %lld products, %d classes; leave-one-out %d-NN\n", results[0].label.c_str(),
                static_cast<long long>(results[0].items), results[0].classes, k);
  }
  std::printf("%-16s %12s %14s %9s\n", "source", "knn accuracy", "precision@k", "seconds");
  for (const auto& r : results) {
    std::printf("%-16s %12.4f %14.4f %9.1f\n", r.source.c_str(), r.knnAccuracy, r.precisionAtK, r.seconds);
  }
  return kExitOk;
}

}  // namespace pl::cli
