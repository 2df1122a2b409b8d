#include "ui/pretrain/training_status_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTimer>

#include "ui/pretrain/display_format.h"

namespace pl::ui {

TrainingStatusPanel::TrainingStatusPanel(QWidget* parent) : QWidget(parent) {
  bar_ = new QProgressBar;
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  bar_->setTextVisible(true);
  bar_->setFormat(QString());
  bar_->setMinimumWidth(220);
  stateLabel_ = new QLabel;
  stateLabel_->setObjectName(QStringLiteral("trainingState"));
  numbersLabel_ = new QLabel;
  numbersLabel_->setObjectName(QStringLiteral("trainingNumbers"));
  numbersLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stateLabel_);
  layout->addWidget(bar_, 2);
  layout->addWidget(numbersLabel_, 3);
  // Small models report hundreds of steps a second; the text follows at
  // 10 Hz so the GUI thread takes no core time from training.
  refresh_ = new QTimer(this);
  refresh_->setSingleShot(true);
  refresh_->setInterval(100);
  connect(refresh_, &QTimer::timeout, this, &TrainingStatusPanel::updateLabels);
  // Nothing to measure before the first run: a hint instead of an empty bar.
  bar_->hide();
  state_ = tr("No run in progress");
  numbersLabel_->setText(tr("Start a run with Ctrl+Return, or resume one from the history."));
  stateLabel_->setText(QStringLiteral("<b>%1</b>").arg(state_));
}

void TrainingStatusPanel::scheduleUpdate() {
  if (!refresh_->isActive()) refresh_->start();
}

void TrainingStatusPanel::begin(const QString& runName) {
  runName_ = runName;
  state_ = tr("Preparing");
  step_ = -1;
  epoch_ = loss_ = tokensPerSecond_ = 0;
  done_ = total_ = 0;
  firstDone_ = -1;
  banked_ = 0;
  paused_ = false;
  bar_->setRange(0, 0);
  bar_->show();
  updateLabels();
}

void TrainingStatusPanel::onProgress(qint64 done, qint64 total, const QString& phase) {
  if (phase != QLatin1String("Pretraining") || total <= 0) {
    state_ = phase;  // tokenizer, tokenizing: no step count yet
    bar_->setRange(0, 0);
    updateLabels();
    return;
  }
  if (firstDone_ < 0) {
    firstDone_ = done;
    clock_.start();
  }
  if (!paused_ && state_ != tr("Stopping")) state_ = tr("Training");
  done_ = done;
  total_ = total;
  bar_->setRange(0, 1000);
  bar_->setValue(static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total)));
  scheduleUpdate();
}

void TrainingStatusPanel::onMetrics(qint64 step, const std::map<std::string, double>& values) {
  step_ = step;
  if (auto it = values.find("epoch"); it != values.end()) epoch_ = it->second;
  if (auto it = values.find("loss"); it != values.end()) loss_ = it->second;
  if (auto it = values.find("tokens_per_s"); it != values.end()) tokensPerSecond_ = it->second;
  scheduleUpdate();
}

void TrainingStatusPanel::setPaused(bool paused) {
  if (paused == paused_) return;
  paused_ = paused;
  if (paused) {
    banked_ = activeSeconds();
    state_ = tr("Paused");
  } else {
    clock_.restart();
    state_ = tr("Training");
  }
  updateLabels();
}

void TrainingStatusPanel::setStopping() {
  state_ = tr("Stopping");
  updateLabels();
}

void TrainingStatusPanel::end(const QString& text) {
  state_ = text;
  paused_ = false;
  bar_->setRange(0, 1000);
  if (total_ <= 0) bar_->setValue(0);
  firstDone_ = -1;
  updateLabels();
}

double TrainingStatusPanel::activeSeconds() const {
  if (firstDone_ < 0) return 0;
  return banked_ + (paused_ ? 0.0 : static_cast<double>(clock_.elapsed()) / 1000.0);
}

double TrainingStatusPanel::etaSeconds() const {
  double seconds = activeSeconds();
  if (firstDone_ < 0 || done_ <= firstDone_ || seconds < 1.0) return -1;
  double rate = static_cast<double>(done_ - firstDone_) / seconds;
  return static_cast<double>(total_ - done_) / rate;
}

QString TrainingStatusPanel::summary() const {
  // The status bar's job widget already names the run and its phase.
  if (step_ < 0) return {};
  QStringList parts;
  if (state_ != tr("Training")) parts << state_;
  parts << tr("step %1").arg(QLocale().toString(step_));
  parts << tr("epoch %1").arg(epoch_, 0, 'f', 2);
  parts << tr("loss %1").arg(formatValue(loss_));
  if (tokensPerSecond_ > 0)
    parts << tr("%1 tokens/s").arg(QLocale().toString(qRound(tokensPerSecond_)));
  double eta = etaSeconds();
  if (eta >= 0 && firstDone_ >= 0) parts << tr("%1 left").arg(formatDuration(eta));
  return parts.join(QStringLiteral(" · "));
}

void TrainingStatusPanel::updateLabels() {
  stateLabel_->setText(QStringLiteral("<b>%1</b>").arg(state_.toHtmlEscaped()));
  double eta = etaSeconds();
  bar_->setFormat(firstDone_ >= 0 && eta >= 0 ? tr("%p% · %1 left").arg(formatDuration(eta))
                                              : QStringLiteral("%p%"));
  QStringList parts;
  if (step_ >= 0) {
    parts << tr("step %1").arg(QLocale().toString(step_));
    parts << tr("epoch %1").arg(epoch_, 0, 'f', 2);
    parts << tr("loss %1").arg(formatValue(loss_));
    if (tokensPerSecond_ > 0) {
      parts << tr("%1 tokens/s").arg(QLocale().toString(qRound(tokensPerSecond_)));
    }
  }
  numbersLabel_->setText(parts.join(QStringLiteral("  ·  ")));
  emit summaryChanged(summary());
}

}  // namespace pl::ui
