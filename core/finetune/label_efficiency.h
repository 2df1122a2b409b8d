#pragma once
// Label efficiency: test scores against the share of labelled products used,
// for the four methods issue 6 compares, on one label's fixed test split.
// Every point is stored (eval/eval_results.h), so the Fine-tune page can
// draw the chart without recomputing it.

#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "finetune/finetune_job.h"
#include "store/project.h"

namespace pl {

/// Method names, in table order: "pretrained+probe" (logistic regression on
/// the run's stored embeddings), "pretrained+full" (full fine-tune from the
/// run), "scratch+full" (full fine-tune from random initialisation with the
/// run's config), "tf-idf+logreg".
const std::vector<std::string>& efficiencyMethods();

/// What to compare.
struct EfficiencyOptions {
  std::string baseRun;
  std::string label;
  std::vector<double> fractions{0.01, 0.1, 1};
  /// Settings shared by the fine-tuning runs (epochs, patience, batch,
  /// learning rates, seeds, threads); name, base, label, mode, fraction and
  /// subset are set per point.
  FinetuneOptions finetune;
};

/// One cell of the table.
struct EfficiencyPoint {
  std::string method;   ///< one of efficiencyMethods()
  std::string subject;  ///< what it is stored under: run name, fine-tuned run, "tf-idf"
  double fraction = 1;
  int64_t trainItems = 0;
  int64_t testItems = 0;
  double accuracy = 0;
  double macroF1 = 0;
  double seconds = 0;
};

struct EfficiencyReport {
  std::string label;
  std::string baseRun;
  std::vector<double> fractions;
  std::vector<EfficiencyPoint> points;  ///< the points computed (all of them unless stopped)
  std::string status;                   ///< finished | stopped
  /// The point of (method, fraction), or nullptr when it was not computed.
  const EfficiencyPoint* find(const std::string& method, double fraction) const;
};

/// Computes and stores every (method, fraction) point. The fine-tuning runs
/// it creates are named by efficiencyRunName(); a fine-tuning run of that
/// name from an earlier call is deleted first (a run of another kind with
/// that name is an error). The base run is embedded first if it has no
/// stored embeddings. A stop request ends after the current point's best
/// weights; the report then has status "stopped" and the points completed.
Result<EfficiencyReport> runLabelEfficiency(Project& project, const EfficiencyOptions& options,
                                            JobContext& context);

/// "<base>-ft-full-<label>-10pct", or "scratch-full-<label>-10pct" without a base.
std::string efficiencyRunName(const std::string& baseRun, const std::string& label, double fraction);

}  // namespace pl
