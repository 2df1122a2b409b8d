#include "ui/pretrain/training_settings.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QThread>
#include <limits>

#include "ui/pretrain/exact_double_spin_box.h"
#include "ui/pretrain/model_settings.h"

namespace pl::ui {

namespace {

QSpinBox* spin(int low, int high, const QString& none, const QString& tip) {
  auto* box = new QSpinBox;
  box->setRange(low, high);
  box->setSpecialValueText(none);  // shown at the minimum (0: no limit / auto)
  box->setToolTip(tip);
  box->setGroupSeparatorShown(true);
  return box;
}

}  // namespace

TrainingSettings::TrainingSettings(QWidget* parent) : QGroupBox(tr("Training"), parent) {
  batch_ = spin(0, 65536, QString(),
                tr("Products per step; contrastive uses the rest of the "
                   "batch as negatives"));
  lr_ = new ExactDoubleSpinBox;
  lr_->setRange(1e-7, 1.0);
  lr_->setShortestText(true);
  lr_->setSingleStep(1e-4);
  lr_->setToolTip(tr("Peak learning rate after warm-up (AdamW)"));
  schedule_ = new QComboBox;
  schedule_->addItem(tr("cosine decay"), QStringLiteral("cosine"));
  schedule_->addItem(tr("linear decay"), QStringLiteral("linear"));
  schedule_->addItem(tr("constant"), QStringLiteral("constant"));
  epochs_ = spin(0, 100000, tr("no limit"), tr("Passes over the catalog"));
  maxSteps_ = spin(0, std::numeric_limits<int>::max(), tr("no limit"),
                   tr("Stop after this many optimizer steps"));
  maxSteps_->setSingleStep(100);
  timeLimit_ = new ExactDoubleSpinBox;
  timeLimit_->setRange(0, 100000);
  timeLimit_->setDecimals(2);
  timeLimit_->setSuffix(tr(" min"));
  timeLimit_->setSpecialValueText(tr("no limit"));
  timeLimit_->setToolTip(
      tr("Stop after this much training time; a run limited only by time "
         "schedules its learning rate by the clock"));
  seed_ = new QLineEdit;
  seed_->setValidator(
      new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,20}")), seed_));
  seed_->setToolTip(tr("Same seed and data: the same curve"));
  threads_ = spin(0, 256, tr("auto"),
                  tr("LibTorch threads (auto: one; OpenBLAS threads the matrix products). "
                     "This machine has %1 cores.")
                      .arg(QThread::idealThreadCount()));

  auto* form = new QFormLayout(this);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(tr("Batch"), batch_);
  form->addRow(tr("Learning rate"), lr_);
  form->addRow(tr("Schedule"), schedule_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Max steps"), maxSteps_);
  form->addRow(tr("Time limit"), timeLimit_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Threads"), threads_);

  for (QSpinBox* box : {batch_, epochs_, maxSteps_, threads_}) {
    connect(box, &QSpinBox::valueChanged, this, &TrainingSettings::changed);
  }
  for (ExactDoubleSpinBox* box : {lr_, timeLimit_}) {
    connect(box, &ExactDoubleSpinBox::exactValueChanged, this, &TrainingSettings::changed);
  }
  connect(schedule_, &QComboBox::currentIndexChanged, this, &TrainingSettings::changed);
  connect(seed_, &QLineEdit::textChanged, this, &TrainingSettings::changed);
  readFrom(pl::RunConfig{});
}

void TrainingSettings::writeTo(pl::RunConfig& c) const {
  c.batch = batch_->value();
  c.lr = lr_->exactValue();
  c.schedule = schedule_->currentData().toString().toStdString();
  c.epochs = epochs_->value();
  c.maxSteps = maxSteps_->value();
  c.timeLimitMinutes = timeLimit_->exactValue();
  c.seed = seed_->text().toULongLong();
  c.threads = threads_->value();
}

void TrainingSettings::readFrom(const pl::RunConfig& c) {
  batch_->setValue(c.batch);
  lr_->setExactValue(c.lr);
  selectComboData(schedule_, QString::fromStdString(c.schedule));
  epochs_->setValue(c.epochs);
  maxSteps_->setValue(
      static_cast<int>(std::min<int64_t>(c.maxSteps, std::numeric_limits<int>::max())));
  timeLimit_->setExactValue(c.timeLimitMinutes);
  seed_->setText(QString::number(c.seed));
  threads_->setValue(c.threads);
}

}  // namespace pl::ui
