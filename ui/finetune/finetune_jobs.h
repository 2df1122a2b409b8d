#pragma once
// The fine-tuning and prediction jobs packaged for JobRunner, like
// ui/pretrain/pretrain_jobs.h: the worker opens its own connection to the
// project, so the page keeps reading results and metrics meanwhile.

#include <QString>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "finetune/finetune_job.h"
#include "finetune/label_efficiency.h"
#include "store/product_filter.h"

namespace pl::ui {

class JobRunner;

/// A finished fine-tune with what the page needs to show it.
struct FinetuneOutcome {
  pl::FinetuneReport report;
  /// Class names by index of report.test.confusion (classes sorted by name,
  /// as loadLabelledItems numbers them); empty when they could not be read.
  std::vector<std::string> classNames;
};

/// Starts a fine-tune of `projectPath`; with `filter`, the products matching
/// it become options.subsetIds first (no match is an error, never "all").
/// `done` runs on the GUI thread; false when another job runs. A stop (the
/// runner's cancel) keeps the best weights so far.
bool startFinetuning(JobRunner& runner, const QString& projectPath, pl::FinetuneOptions options,
                     std::optional<pl::ProductFilter> filter,
                     std::function<void(const pl::Result<FinetuneOutcome>&)> done);

/// Labels the products with a fine-tuned run's classifier and stores the
/// predictions; `done` gets how many products were labelled.
bool startPrediction(JobRunner& runner, const QString& projectPath, const QString& runName,
                     bool unlabelledOnly, std::function<void(const pl::Result<int64_t>&)> done);

/// Runs the label-efficiency study (TF-IDF + logistic regression, pretrained
/// + probe, pretrained + full, scratch + full at each fraction); every point
/// is stored as it is computed, so a stop keeps the points done.
bool startLabelEfficiency(JobRunner& runner, const QString& projectPath,
                          const pl::EfficiencyOptions& options,
                          std::function<void(const pl::Result<pl::EfficiencyReport>&)> done);

}  // namespace pl::ui
