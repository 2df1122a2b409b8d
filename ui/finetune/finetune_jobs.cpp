#include "ui/finetune/finetune_jobs.h"

#include <QObject>
#include <exception>

#include "eval/label_field.h"
#include "eval/neighbour_eval.h"
#include "ui/project_job.h"

namespace pl::ui {

bool startFinetuning(JobRunner& runner, const QString& projectPath, pl::FinetuneOptions options,
                     std::optional<pl::ProductFilter> filter,
                     std::function<void(const pl::Result<FinetuneOutcome>&)> done) {
  const QString title = QString::fromStdString(options.runName);
  return startProjectJob<FinetuneOutcome>(
      runner, title, projectPath,
      [options, filter](pl::Project& project,
                        pl::JobContext& context) mutable -> pl::Result<FinetuneOutcome> {
        if (filter) {
          context.progress(0, 1, "Finding the products that match " + filter->describe());
          auto ids = pl::findProductsMatching(project.db(), *filter);
          if (!ids) return ids.error();
          if (ids->empty()) return pl::Error{"no product matches " + filter->describe()};
          options.subsetIds = std::move(*ids);
        }
        auto report = pl::runFinetuning(project, options, context);
        if (!report) return report.error();
        FinetuneOutcome outcome{std::move(*report), {}};
        // The matrix's class names, read here rather than on the GUI thread
        // (a million labels take a while); a failure only costs the names.
        try {
          if (auto label = pl::resolveLabelField(project.db(), options.label)) {
            outcome.classNames = pl::loadLabelledItems(project.db(), *label).classNames;
          }
        } catch (const std::exception&) {
          outcome.classNames.clear();
        }
        return outcome;
      },
      std::move(done), "fine-tune");
}

bool startPrediction(JobRunner& runner, const QString& projectPath, const QString& runName,
                     bool unlabelledOnly, std::function<void(const pl::Result<int64_t>&)> done) {
  const std::string name = runName.toStdString();
  return startProjectJob<int64_t>(
      runner, QObject::tr("Predicting with %1").arg(runName), projectPath,
      [name, unlabelledOnly](pl::Project& project, pl::JobContext& context) {
        return pl::predictWithRun(project, name, unlabelledOnly, context);
      },
      std::move(done), "prediction");
}

bool startLabelEfficiency(JobRunner& runner, const QString& projectPath,
                          const pl::EfficiencyOptions& options,
                          std::function<void(const pl::Result<pl::EfficiencyReport>&)> done) {
  return startProjectJob<pl::EfficiencyReport>(
      runner, QObject::tr("Label efficiency of %1").arg(QString::fromStdString(options.baseRun)),
      projectPath,
      [options](pl::Project& project, pl::JobContext& context) {
        return pl::runLabelEfficiency(project, options, context);
      },
      std::move(done), "label-efficiency study");
}

}  // namespace pl::ui
