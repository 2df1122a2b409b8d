#include "ui/pretrain/run_details_panel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/pretrain/display_format.h"

namespace pl::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

RunDetailsPanel::RunDetailsPanel(QWidget* parent) : QWidget(parent) {
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  config_ = new QPlainTextEdit;
  config_->setReadOnly(true);
  config_->setObjectName(QStringLiteral("runConfigJson"));
  config_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  config_->setLineWrapMode(QPlainTextEdit::NoWrap);
  clone_ = new QPushButton(tr("Clone into new run"));
  clone_->setToolTip(tr("Copy this configuration into the panel on the left, under a new name"));
  resume_ = new QPushButton(tr("Resume run"));
  resume_->setToolTip(tr("Continue this run from its last checkpoint (Ctrl+Shift+Return)"));
  report_ = new QPushButton(tr("Report…"));
  report_->setToolTip(tr("Write the run's report: one HTML page with its config, losses, scores and map"));

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(clone_);
  buttons->addWidget(resume_);
  buttons->addWidget(report_);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(summary_);
  layout->addWidget(config_, 1);
  layout->addLayout(buttons);
  connect(clone_, &QPushButton::clicked, this, &RunDetailsPanel::cloneRequested);
  connect(resume_, &QPushButton::clicked, this, &RunDetailsPanel::resumeRequested);
  connect(report_, &QPushButton::clicked, this, &RunDetailsPanel::reportRequested);
  showRun(nullptr);
}

void RunDetailsPanel::showRun(const RunSummary* s, bool live) {
  hasRun_ = s && s->config;
  resumable_ = s && s->resumable() && !live;
  if (!s) {
    summary_->setText(tr("Select a run in the history to see its configuration."));
    config_->clear();
    updateButtons();
    return;
  }
  QString checkpoint =
      s->checkpoint ? tr("checkpoint at step %1").arg(s->checkpoint->step) : tr("no checkpoint");
  QString status = live                  ? tr("training now")
                   : s->storedAsActive() ? tr("interrupted (the app closed while it trained)")
                                         : q(s->run.status);
  QString text = tr("<b>%1</b> — %2 · %3 steps · %4 · %5")
                     .arg(q(s->run.name).toHtmlEscaped(), status)
                     .arg(s->run.step)
                     .arg(formatDuration(s->run.elapsedSeconds), checkpoint);
  if (!s->run.message.empty()) text += QStringLiteral("<br>") + q(s->run.message).toHtmlEscaped();
  summary_->setText(text);
  // The stored JSON as written by RunConfig::toJson(): already indented.
  config_->setPlainText(s->config ? q(s->config->toJson()) : q(s->run.configJson));
  updateButtons();
}

void RunDetailsPanel::setIdle(bool idle) {
  idle_ = idle;
  updateButtons();
}

void RunDetailsPanel::updateButtons() {
  clone_->setEnabled(hasRun_);
  report_->setEnabled(hasRun_);
  resume_->setEnabled(hasRun_ && resumable_ && idle_);
}

}  // namespace pl::ui
