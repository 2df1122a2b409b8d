// FinetunePage, second half: starting and stopping fine-tunes and
// predictions, and what the page does with the runner's reports. Layout and
// results are in finetune_page.cpp.
#include <QCheckBox>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>

#include "store/project.h"
#include "store/run_store.h"
#include "ui/curves/training_curves_view.h"
#include "ui/finetune/confusion_matrix_view.h"
#include "ui/finetune/eval_results_model.h"
#include "ui/finetune/finetune_page.h"
#include "ui/finetune/finetune_settings_panel.h"
#include "ui/finetune/label_efficiency_chart.h"
#include "ui/finetune/subset_chooser.h"
#include "ui/pretrain/run_log_panel.h"

namespace pl::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

void FinetunePage::connectRunner() {
  // The runner is shared with imports and pretraining: react to our jobs only.
  connect(runner_, &JobRunner::metrics, this, &FinetunePage::onMetrics);
  connect(runner_, &JobRunner::progress, this, &FinetunePage::onProgress);
  connect(runner_, &JobRunner::logMessage, this, [this](int level, const QString& message) {
    if (isBusy()) log_->addMessage(level, message);
  });
  connect(runner_, &JobRunner::started, this, &FinetunePage::updateControls);
  connect(runner_, &JobRunner::finished, this, &FinetunePage::updateControls);
}

bool FinetunePage::start() {
  if (!startButton_->isEnabled()) return false;  // the inline messages say why
  const QString name = runName_->text().trimmed();
  pl::FinetuneOptions options = settings_->options();
  options.runName = name.toStdString();
  const std::optional<pl::ProductFilter> filter = settings_->filter();
  const QString subset = settings_->subset()->describe();
  const bool started = startFinetuning(
      *runner_, q(project_->path()), options, filter,
      [this, name](const pl::Result<FinetuneOutcome>& result) { onFinetuned(name, result); });
  if (!started) {
    log_->addMessage(1,
                     tr("Another job (%1) is running; wait for it first.").arg(runner_->title()));
    return false;
  }
  job_ = Job::Finetune;
  stopping_ = false;
  liveName_ = name;
  liveRunId_ = 0;  // known once the worker has created the run
  curves_->clear();
  tabs_->setCurrentWidget(curves_);
  progress_->setRange(0, 0);
  const QString base = options.baseRun.empty() ? tr("random initialisation") : q(options.baseRun);
  log_->addMessage(0, tr("Started %1: %2 from %3 on %4, %5.")
                          .arg(name, settings_->modeCombo()->currentText().toLower(), base,
                               settings_->labelDisplay(), subset));
  showStatus(tr("Fine-tuning %1…").arg(name));
  nameEdited_ = false;
  updateControls();
  return true;
}

void FinetunePage::stop() {
  if (!isBusy() || stopping_) return;
  stopping_ = true;
  runner_->cancel();
  showStatus(job_ == Job::Finetune
                 ? tr("Stopping %1: keeping the best weights so far…").arg(liveName_)
             : job_ == Job::Study ? tr("Stopping the study after the current point…")
                                  : tr("Stopping the prediction…"));
  log_->addMessage(0, tr("Stop requested."));
  updateControls();
}

void FinetunePage::stopAndWait() {
  if (!isBusy()) return;
  stop();
  runner_->waitForFinished();
}

bool FinetunePage::predict() {
  if (!predictButton_->isEnabled()) return false;
  const QString name = predictRun_->currentData().toString();
  const bool started = startPrediction(
      *runner_, q(project_->path()), name, unlabelledOnly_->isChecked(),
      [this, name](const pl::Result<int64_t>& result) { onPredicted(name, result); });
  if (!started) return false;
  job_ = Job::Predict;
  stopping_ = false;
  progress_->setRange(0, 0);
  showStatus(tr("Labelling the products with %1…").arg(name));
  log_->addMessage(0, tr("Predicting labels with %1.").arg(name));
  updateControls();
  return true;
}

bool FinetunePage::runStudy(const std::vector<double>& fractions) {
  if (!studyButton_->isEnabled()) return false;
  pl::EfficiencyOptions options;
  options.baseRun = settings_->baseRun().toStdString();
  options.label = settings_->labelName().toStdString();
  options.fractions = fractions;
  options.finetune = settings_->options();
  const bool started = startLabelEfficiency(
      *runner_, q(project_->path()), options,
      [this](const pl::Result<pl::EfficiencyReport>& result) { onStudied(result); });
  if (!started) return false;
  job_ = Job::Study;
  stopping_ = false;
  liveName_.clear();
  liveRunId_ = 0;
  lastStep_ = 0;
  studyRuns_.clear();
  for (double f : fractions) {
    for (const std::string& base : {options.baseRun, std::string()}) {
      studyRuns_ << q(pl::efficiencyRunName(base, options.label, f));
    }
  }
  curves_->clear();
  progress_->setRange(0, 0);
  tabs_->setCurrentWidget(chart_);
  QStringList shares;
  for (double f : fractions) shares << QStringLiteral("%1%").arg(f * 100, 0, 'g', 3);
  log_->addMessage(0, tr("Label-efficiency study of %1 on %2 at %3: TF-IDF + logistic regression, "
                         "pretrained + probe, pretrained + full, no pretraining + full.")
                          .arg(settings_->baseRun(), settings_->labelDisplay(), shares.join(", ")));
  showStatus(tr("Label-efficiency study running…"));
  updateControls();
  return true;
}

void FinetunePage::followStudyRun(qint64 step) {
  // A new fine-tune of the study starts its steps again: find which one.
  if (liveRunId_ != 0 && step >= lastStep_) return;
  for (const QString& name : studyRuns_) {
    auto run = pl::findRun(project_->db(), name.toStdString());
    if (!run || run->status != "running" || run->id == liveRunId_) continue;
    liveRunId_ = run->id;
    liveName_ = name;
    curves_->addRun(liveRunId_, name);
    // The points stored so far were drawn already: reload the chart.
    reloadResults();
    return;
  }
}

void FinetunePage::onMetrics(qint64 step, const MetricValues& values) {
  if (!isTraining()) return;
  if (job_ == Job::Study && project_) followStudyRun(step);
  lastStep_ = step;
  if (liveRunId_ == 0 && project_ && !liveName_.isEmpty()) {
    // The worker created the run before its first step; its row is committed.
    if (auto run = pl::findRun(project_->db(), liveName_.toStdString())) {
      liveRunId_ = run->id;
      curves_->addRun(liveRunId_, liveName_);
    }
  }
  if (liveRunId_ != 0) curves_->appendMetrics(liveRunId_, step, values);
}

void FinetunePage::onProgress(qint64 done, qint64 total, const QString& phase) {
  if (!isBusy()) return;
  if (total > 0) {
    // QProgressBar counts in int; keep per-mille for large totals.
    progress_->setRange(0, 1000);
    progress_->setValue(static_cast<int>(1000 * done / total));
  } else {
    progress_->setRange(0, 0);
  }
  if (stopping_ || phase.isEmpty()) return;
  const QString who = job_ == Job::Study     ? tr("Label efficiency")
                      : job_ == Job::Predict ? tr("Prediction")
                                             : liveName_;
  showStatus(QStringLiteral("%1: %2").arg(who, phase));
}

void FinetunePage::onFinetuned(const QString& name, const pl::Result<FinetuneOutcome>& result) {
  job_ = Job::None;
  stopping_ = false;
  progress_->setRange(0, 1000);
  QString status;
  if (result) {
    const pl::FinetuneReport& r = result->report;
    status = q(r.status);
    const QString summary =
        tr("test accuracy %1, macro-F1 %2 on %3 products; best epoch %4 of %5 (validation "
           "accuracy %6); trained on %7 products")
            .arg(QString::number(r.test.accuracy, 'f', 4), QString::number(r.test.macroF1, 'f', 4),
                 QLocale().toString(static_cast<qlonglong>(r.test.items)))
            .arg(r.bestEpoch)
            .arg(r.epochs)
            .arg(QString::number(r.bestValidationAccuracy, 'f', 4),
                 QLocale().toString(static_cast<qlonglong>(r.trainItems)));
    QString dropped;
    if (r.droppedTestItems > 0) {
      dropped = tr(" %1 chosen products were in the test split and were left out.")
                    .arg(QLocale().toString(static_cast<qlonglong>(r.droppedTestItems)));
    }
    log_->addMessage(0,
                     (r.status == "stopped" ? tr("Stopped %1 early: %2.") : tr("Finished %1: %2."))
                             .arg(name, summary) +
                         dropped);
    showStatus((r.status == "stopped"
                    ? tr("Stopped %1: test accuracy %2, macro-F1 %3 (details in the log)")
                    : tr("Finished %1: test accuracy %2, macro-F1 %3 (details in the log)"))
                   .arg(name, QString::number(r.test.accuracy, 'f', 4),
                        QString::number(r.test.macroF1, 'f', 4)));
    progress_->setValue(1000);
    confusion_->setMatrix(tr("<b>%1</b> on the test split of %2 — rows: true class, columns: "
                             "predicted; shade: share of the row")
                              .arg(name.toHtmlEscaped(), settings_->labelDisplay().toHtmlEscaped()),
                          r.test.confusion, result->classNames);
  } else {
    status = QStringLiteral("failed");
    const QString message = q(result.error().message);
    log_->addMessage(2, tr("Fine-tune %1 failed: %2").arg(name, message));
    showStatus(tr("Fine-tune %1 failed: %2").arg(name, message), true);
    progress_->setValue(0);
    tabs_->setCurrentWidget(log_);
  }
  settings_->reloadRuns();
  settings_->refreshSplit();
  reloadResults();
  if (result) {
    // Select the new row (this label's filter shows it) and so its curves.
    const auto& rows = results_->results();
    for (size_t i = 0; i < rows.size(); ++i) {
      if (q(rows[i].subject) != name) continue;
      table_->selectionModel()->setCurrentIndex(
          proxy_->mapFromSource(results_->index(static_cast<int>(i), 0)),
          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
      break;
    }
    const int index = predictRun_->findData(name);
    if (index >= 0) predictRun_->setCurrentIndex(index);
  }
  liveRunId_ = 0;
  suggestRunName();
  updateControls();
  emit runEnded(name, status);
}

void FinetunePage::onStudied(const pl::Result<pl::EfficiencyReport>& result) {
  job_ = Job::None;
  stopping_ = false;
  progress_->setRange(0, 1000);
  if (result) {
    const QString how = result->status == "stopped" ? tr("Stopped") : tr("Finished");
    const QString text =
        tr("%1 the label-efficiency study: %2 points stored.").arg(how).arg(result->points.size());
    log_->addMessage(0, text);
    showStatus(text);
    progress_->setValue(1000);
    tabs_->setCurrentWidget(chart_);
  } else {
    const QString message = q(result.error().message);
    log_->addMessage(2, tr("The label-efficiency study failed: %1").arg(message));
    showStatus(tr("The label-efficiency study failed: %1").arg(message), true);
    progress_->setValue(0);
    tabs_->setCurrentWidget(log_);
  }
  liveRunId_ = 0;
  liveName_.clear();
  settings_->reloadRuns();
  settings_->refreshSplit();
  reloadResults();
  suggestRunName();
  updateControls();
}

void FinetunePage::onPredicted(const QString& name, const pl::Result<int64_t>& result) {
  job_ = Job::None;
  stopping_ = false;
  progress_->setRange(0, 1000);
  if (result) {
    progress_->setValue(1000);
    const QString text = tr("%1 labelled %2 products. The Data page shows them in its “Predicted” "
                            "column; export them there as CSV.")
                             .arg(name, QLocale().toString(static_cast<qlonglong>(*result)));
    log_->addMessage(0, text);
    showStatus(text);
    emit predictionsChanged(name);
  } else {
    const QString message = q(result.error().message);
    log_->addMessage(2, tr("Prediction with %1 failed: %2").arg(name, message));
    showStatus(tr("Prediction with %1 failed: %2").arg(name, message), true);
    progress_->setValue(0);
    tabs_->setCurrentWidget(log_);
  }
  updateControls();
}

}  // namespace pl::ui
