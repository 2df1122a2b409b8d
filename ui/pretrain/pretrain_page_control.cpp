// PretrainPage, second half: starting, pausing, stopping and resuming runs,
// and what the page does with the runner's reports. Layout and history are
// in pretrain_page.cpp.
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>

#include "store/project.h"
#include "store/run_store.h"
#include "ui/curves/training_curves_view.h"
#include "ui/pretrain/display_format.h"
#include "ui/pretrain/pretrain_jobs.h"
#include "ui/pretrain/pretrain_page.h"
#include "ui/pretrain/run_config_panel.h"
#include "ui/pretrain/run_details_panel.h"
#include "ui/pretrain/run_history_model.h"
#include "ui/pretrain/run_log_panel.h"
#include "ui/pretrain/training_status_panel.h"

namespace pl::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

bool PretrainPage::start() {
  if (!startButton_->isEnabled()) return false;  // the inline messages say why
  QString name = runName_->text().trimmed();
  if (!launch(name, config_->config(), false)) return false;
  log_->addMessage(0, tr("Started run %1.").arg(name));
  return true;
}

bool PretrainPage::resumeSelected() {
  const RunSummary* s = selectedRun();
  if (!project_ || !s || !s->resumable() || runner_->isRunning() || !s->config) return false;
  const qint64 id = s->run.id;
  const QString name = q(s->run.name);
  const bool hasCheckpoint = s->checkpoint.has_value();
  const int64_t from = hasCheckpoint ? s->checkpoint->step : 0;
  const pl::RunConfig config = *s->config;
  // The trainer drops stored points after the checkpoint; so does the plot.
  std::vector<pl::MetricPoint> kept;
  for (auto& p : pl::loadAllMetrics(project_->db(), id)) {
    if (p.step <= from) kept.push_back(std::move(p));
  }
  liveRunId_ = id;
  curves_->addRun(id, name);
  curves_->loadStoredMetrics(id, kept);
  if (!launch(name, config, true)) {
    liveRunId_ = 0;
    return false;
  }
  history_->setOverlaid(id, true);
  history_->setLiveRun(id);
  log_->addMessage(
      0, hasCheckpoint ? tr("Resuming run %1 from its checkpoint at step %2.").arg(name).arg(from)
                       : tr("Resuming run %1 from the start: it has no checkpoint.").arg(name));
  return true;
}

bool PretrainPage::launch(const QString& name, const pl::RunConfig& config, bool resume) {
  pl::PretrainOptions options;
  options.runName = name.toStdString();
  options.config = config;
  options.resume = resume;
  QString path = q(project_->path());
  bool started = startPretraining(
      *runner_, path, options,
      [this, name](const pl::Result<pl::PretrainReport>& result) { onFinished(name, result); });
  if (!started) {
    log_->addMessage(1,
                     tr("Another job (%1) is running; wait for it first.").arg(runner_->title()));
    return false;
  }
  training_ = true;
  stopping_ = false;
  liveName_ = name;
  if (!resume) liveRunId_ = 0;  // known once the worker has created the run
  status_->begin(name);
  tabs_->setCurrentWidget(log_);
  historyTimer_->start();
  runName_->setText(nextRunName(name));
  updateControls();
  return true;
}

void PretrainPage::togglePause() {
  if (!training_ || stopping_) return;
  runner_->setPaused(!runner_->isPaused());
}

void PretrainPage::onPausedChanged(bool paused) {
  if (!training_) return;
  status_->setPaused(paused);
  if (!stopping_) {
    // The step in flight still finishes, hence "after".
    log_->addMessage(0, paused
                            ? tr("Paused %1 after step %2.").arg(liveName_).arg(status_->step() + 1)
                            : tr("Continued %1.").arg(liveName_));
    history_->setLiveRun(liveRunId_, paused ? tr("paused") : tr("training"));
  }
  updateControls();
}

void PretrainPage::stop() {
  if (!training_ || stopping_) return;
  stopping_ = true;
  runner_->cancel();  // a paused job stops too; the trainer saves a checkpoint first
  status_->setStopping();
  history_->setLiveRun(liveRunId_, tr("stopping"));
  log_->addMessage(0, tr("Stopping %1: saving a checkpoint…").arg(liveName_));
  updateControls();
}

void PretrainPage::stopAndWait() {
  if (!training_) return;
  stop();
  runner_->waitForFinished();
}

void PretrainPage::cloneSelected() {
  const RunSummary* s = selectedRun();
  if (!s || !s->config) return;
  config_->setConfig(*s->config);
  runName_->setText(nextRunName(q(s->run.name)));
  runName_->setFocus();
  runName_->selectAll();
}

void PretrainPage::onMetrics(qint64 step, const MetricValues& values) {
  if (!training_) return;
  if (liveRunId_ == 0) resolveLiveRun();
  if (liveRunId_ != 0) curves_->appendMetrics(liveRunId_, step, values);
  status_->onMetrics(step, values);
}

void PretrainPage::resolveLiveRun() {
  // The worker created the run before its first step; its row is committed.
  if (!project_) return;
  auto run = pl::findRun(project_->db(), liveName_.toStdString());
  if (!run) return;
  liveRunId_ = run->id;
  curves_->addRun(liveRunId_, liveName_);
  reloadHistory();
  history_->setOverlaid(liveRunId_, true);
  history_->setLiveRun(liveRunId_);
}

void PretrainPage::onFinished(const QString& name, const pl::Result<pl::PretrainReport>& result) {
  training_ = false;
  stopping_ = false;
  historyTimer_->stop();
  QString status;
  if (result) {
    const pl::PretrainReport& r = *result;
    status = q(r.status);
    QString how = tr("%1 steps (%2 epochs) in %3; final loss %4")
                      .arg(r.steps)
                      .arg(r.epochs, 0, 'f', 2)
                      .arg(formatDuration(r.seconds), formatValue(r.finalLoss));
    if (r.status == "stopped") {
      log_->addMessage(0, tr("Stopped %1 after %2. Checkpoint saved: %3. Select the run and press "
                             "Resume run to continue it.")
                              .arg(name, how, q(r.lastCheckpoint)));
      status_->end(tr("Stopped"));
    } else {
      log_->addMessage(0, tr("Finished %1: %2.").arg(name, how));
      status_->end(tr("Finished"));
    }
  } else {
    status = QStringLiteral("failed");
    QString message = q(result.error().message);
    // A NaN stop was already logged by the trainer in the same words.
    if (message != log_->lastMessage())
      log_->addMessage(2, tr("Run %1 failed: %2").arg(name, message));
    status_->end(tr("Failed"));
    tabs_->setCurrentWidget(log_);
  }
  qint64 id = liveRunId_;
  if (id == 0 && project_) {
    if (auto run = pl::findRun(project_->db(), name.toStdString())) id = run->id;
  }
  liveRunId_ = 0;
  reloadHistory();
  if (id) selectRun(id);
  updateControls();
  emit runEnded(name, status);
}

void PretrainPage::onOverlayToggled(qint64 runId, const QString& name, bool on) {
  if (!on) {
    curves_->removeRun(runId);
    return;
  }
  curves_->addRun(runId, name);
  // The live run's points arrive as signals; the store lags up to 2 s behind.
  if (project_ && !(training_ && runId == liveRunId_)) {
    curves_->loadStoredMetrics(runId, pl::loadAllMetrics(project_->db(), runId));
  }
}

}  // namespace pl::ui
