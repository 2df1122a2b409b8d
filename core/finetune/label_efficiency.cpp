#include "finetune/label_efficiency.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "embed/embed_job.h"
#include "eval/eval_results.h"
#include "eval/label_field.h"
#include "eval/probe_eval.h"
#include "eval/stored_scores.h"
#include "finetune/finetune_store.h"
#include "store/run_store.h"

namespace pl {

namespace {

/// One unit of the overall progress: the inner job reports into its own
/// context, which maps progress onto the whole table and passes a stop on.
class SubJob {
 public:
  SubJob(JobContext& parent, int unit, int units, std::string title) : parent_(parent) {
    inner_.setProgressInterval(std::chrono::milliseconds(0));  // the parent throttles
    inner_.setProgressSink([this, unit, units, title](int64_t done, int64_t total, const std::string& phase) {
      if (parent_.stopRequested()) inner_.requestStop();
      // Phases restart their own count; the table's bar only moves forward.
      if (total > 0) share_ = std::max(share_, std::min<int64_t>(1000, done * 1000 / total));
      parent_.progress(unit * 1000 + share_, units * 1000, title + ": " + phase);
    });
    inner_.setMetricsSink([this](int64_t, const std::map<std::string, double>&) {
      if (parent_.stopRequested()) inner_.requestStop();
    });
    inner_.setLogSink([this](LogLevel level, const std::string& message) { parent_.log(level, message); });
    if (parent.stopRequested()) inner_.requestStop();
  }
  JobContext& context() { return inner_; }

 private:
  JobContext& parent_;
  JobContext inner_;
  int64_t share_ = 0;
};

std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%g%%", fraction * 100.0);
  return text;
}

void addProbePoints(EfficiencyReport& report, const std::string& method, const std::string& subject,
                    const std::vector<ProbeResult>& results, Database& db, const std::string& label) {
  for (const auto& r : results) {
    saveEvalResult(db, probeEvalResult(r, subject, label));
    report.points.push_back({method, subject, r.fraction, r.trainItems, r.testItems, r.scores.accuracy,
                             r.scores.macroF1, r.seconds});
  }
}

}  // namespace

const std::vector<std::string>& efficiencyMethods() {
  static const std::vector<std::string> methods = {"pretrained+probe", "pretrained+full", "scratch+full",
                                                   "tf-idf+logreg"};
  return methods;
}

const EfficiencyPoint* EfficiencyReport::find(const std::string& method, double fraction) const {
  for (const auto& p : points) {
    if (p.method == method && std::abs(p.fraction - fraction) < 1e-9) return &p;
  }
  return nullptr;
}

std::string efficiencyRunName(const std::string& baseRun, const std::string& label, double fraction) {
  return (baseRun.empty() ? std::string("scratch") : baseRun + "-ft") + "-full-" + finetuneRunTag(label, fraction);
}

Result<EfficiencyReport> runLabelEfficiency(Project& project, const EfficiencyOptions& options,
                                            JobContext& context) {
  Database& db = project.db();
  EfficiencyReport report;
  report.label = options.label;
  report.baseRun = options.baseRun;
  report.fractions = options.fractions;
  report.status = "finished";
  if (options.fractions.empty()) return Error{"choose at least one labelled fraction"};
  for (double f : options.fractions) {
    if (!(f > 0 && f <= 1)) return Error{"labelled fractions must be in (0, 1]"};
  }
  try {
    // Everything that can be refused is refused before any work is done.
    auto label = resolveLabelField(db, options.label);
    if (!label) return label.error();
    auto base = findRun(db, options.baseRun);
    if (!base) return Error{"there is no run named '" + options.baseRun + "'"};
    auto config = RunConfig::fromJson(base->configJson, "run '" + options.baseRun + "'");
    if (!config) return config.error();
    if (Status leak = checkNoLabelLeak(*config, *label, options.baseRun); !leak) return leak.error();
    if (!latestCheckpoint(db, base->id)) {
      return Error{"run '" + options.baseRun + "' has no checkpoint yet; pretrain it first"};
    }
    const int units = 2 + 2 * static_cast<int>(options.fractions.size());
    int unit = 0;
    auto stopped = [&]() {
      if (!context.stopRequested()) return false;
      report.status = "stopped";
      return true;
    };

    {  // TF-IDF + logistic regression: the features once, a probe per fraction.
      SubJob job(context, unit++, units, "tf-idf+logreg");
      ProbeSource tfidf{ProbeSource::Kind::Tfidf, "", config->textInputs(), 0};
      if (tfidf.textFields.empty()) tfidf.textFields = {"title"};
      auto results = evaluateProbes(project, tfidf, options.label, options.fractions, job.context());
      if (stopped()) return report;
      if (!results) return results.error();
      addProbePoints(report, "tf-idf+logreg", evalSubject(tfidf), *results, db, options.label);
    }
    {  // Pretrained + probe: logistic regression on the run's stored vectors.
      SubJob job(context, unit++, units, "pretrained+probe");
      if (!db.prepare("SELECT 1 FROM embeddings WHERE run_id = ? LIMIT 1").bind(1, base->id).step()) {
        auto embedded = computeEmbeddings(project, options.baseRun, job.context());
        if (stopped()) return report;
        if (!embedded) return embedded.error();
      }
      ProbeSource run{ProbeSource::Kind::Run, options.baseRun};
      auto results = evaluateProbes(project, run, options.label, options.fractions, job.context());
      if (stopped()) return report;
      if (!results) return results.error();
      addProbePoints(report, "pretrained+probe", options.baseRun, *results, db, options.label);
    }
    for (double fraction : options.fractions) {
      for (bool scratch : {false, true}) {
        const std::string method = scratch ? "scratch+full" : "pretrained+full";
        SubJob job(context, unit++, units, method + " " + percent(fraction));
        FinetuneOptions o = options.finetune;
        o.runName = efficiencyRunName(scratch ? "" : options.baseRun, options.label, fraction);
        o.baseRun = scratch ? "" : options.baseRun;
        o.scratchConfig = *config;
        o.label = options.label;
        o.mode = FinetuneMode::Full;
        o.fraction = fraction;
        o.subsetIds.clear();
        o.runDirectory.clear();
        if (Status d = deleteFinetuneRun(project, o.runName); !d) return d.error();
        auto r = runFinetuning(project, o, job.context());
        if (stopped()) return report;
        if (!r) return Error{method + " at " + percent(fraction) + ": " + r.error().message};
        report.points.push_back({method, o.runName, fraction, r->trainItems + r->validationItems,
                                 r->test.items, r->test.accuracy, r->test.macroF1, r->seconds});
      }
    }
    context.progress(units * 1000, units * 1000, "Label efficiency");
    return report;
  } catch (const StoreError& e) {
    return Error{"label efficiency could not write to " + project.path() + ": " + e.what()};
  }
}

}  // namespace pl
