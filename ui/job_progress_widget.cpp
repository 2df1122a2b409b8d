#include "ui/job_progress_widget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "ui/job_runner.h"

namespace pl::ui {

JobProgressWidget::JobProgressWidget(JobRunner* runner, QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  label_ = new QLabel;
  bar_ = new QProgressBar;
  bar_->setFixedWidth(220);
  bar_->setTextVisible(true);
  cancel_ = new QPushButton(tr("Cancel"));
  cancel_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  cancel_->setToolTip(
      tr("Stop the job: an import is rolled back, a training run keeps a checkpoint to resume from"));
  layout->addWidget(label_);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  hide();

  connect(cancel_, &QPushButton::clicked, this, [this, runner] {
    cancel_->setEnabled(false);
    label_->setText(tr("%1: stopping…").arg(title_));
    runner->cancel();
  });
  connect(runner, &JobRunner::started, this, [this](const QString& title) {
    title_ = title;
    label_->setText(title);
    bar_->setRange(0, 0);  // busy until the job reports a total
    cancel_->setEnabled(true);
    show();
  });
  connect(runner, &JobRunner::progress, this, &JobProgressWidget::onProgress);
  connect(runner, &JobRunner::finished, this, [this] { hide(); });
}

void JobProgressWidget::onProgress(qint64 done, qint64 total, const QString& phase) {
  if (!cancel_->isEnabled()) return;  // keep saying "stopping"
  label_->setText(phase.isEmpty() ? title_ : tr("%1: %2").arg(title_, phase));
  if (total <= 0) {
    bar_->setRange(0, 0);
    return;
  }
  // QProgressBar takes int; byte counts of big files do not fit.
  bar_->setRange(0, 1000);
  bar_->setValue(static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total)));
}

}  // namespace pl::ui
