#include "ui/finetune/finetune_settings_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <exception>

#include "eval/label_field.h"
#include "store/project.h"
#include "ui/finetune/subset_chooser.h"
#include "ui/pretrain/exact_double_spin_box.h"

namespace pl::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

ExactDoubleSpinBox* makeLrBox(double value, const QString& tip) {
  auto* box = new ExactDoubleSpinBox;
  box->setRange(1e-7, 1.0);
  box->setShortestText(true);
  box->setSingleStep(1e-4);
  box->setExactValue(value);
  box->setToolTip(tip);
  return box;
}

QSpinBox* makeSpin(int low, int high, int value, const QString& tip) {
  auto* box = new QSpinBox;
  box->setRange(low, high);
  box->setValue(value);
  box->setToolTip(tip);
  return box;
}

}  // namespace

FinetuneSettingsPanel::FinetuneSettingsPanel(QWidget* parent) : QWidget(parent) {
  auto* content = new QWidget;
  auto* column = new QVBoxLayout(content);
  column->setContentsMargins(0, 0, 4, 0);
  column->addWidget(makeStartGroup());
  auto* subsetGroup = new QGroupBox(tr("Labelled products to train on"));
  subset_ = new SubsetChooser;
  (new QVBoxLayout(subsetGroup))->addWidget(subset_);
  column->addWidget(subsetGroup);
  column->addWidget(makeTrainingGroup());
  problemLabel_ = new QLabel;
  problemLabel_->setObjectName(QStringLiteral("finetuneProblems"));
  problemLabel_->setWordWrap(true);
  problemLabel_->setTextFormat(Qt::RichText);
  problemLabel_->setStyleSheet(QStringLiteral("color: #b00020;"));
  column->addWidget(problemLabel_);
  column->addStretch(1);

  // No scroll area: the column is about 560 px tall, and a scroll area
  // gives wrapped labels one line's height.
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(content);

  // Long run and label names must not widen the column past its splitter.
  for (QComboBox* box : {baseBox_, scratchLikeBox_, labelBox_, modeBox_}) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(12);
  }
  connect(subset_, &SubsetChooser::changed, this, [this] {
    updateProblems();
    emit changed();
  });
  setProject(nullptr);
}

QWidget* FinetuneSettingsPanel::makeStartGroup() {
  auto* group = new QGroupBox(tr("Start from and predict"));
  baseBox_ = new QComboBox;
  baseBox_->setObjectName(QStringLiteral("baseRun"));
  baseBox_->setToolTip(
      tr("A trained run whose encoder is fine-tuned, or random initialisation: "
         "the 'no pretraining' control that shows what pretraining is worth"));
  scratchLikeBox_ = new QComboBox;
  scratchLikeBox_->setToolTip(
      tr("Random initialisation still needs a model: this run's encoder "
         "settings (sizes, inputs), with fresh weights and a tokenizer "
         "trained on the catalog"));
  scratchLikeLabel_ = new QLabel(tr("Model like"));
  labelBox_ = new QComboBox;
  labelBox_->setObjectName(QStringLiteral("labelField"));
  labelBox_->setToolTip(
      tr("The field to predict: a category level, brand or any attribute column"));
  splitLabel_ = new QLabel;
  splitLabel_->setObjectName(QStringLiteral("testSplit"));
  splitLabel_->setWordWrap(true);
  splitLabel_->setToolTip(
      tr("Every run and baseline is scored on the same held-out products; "
         "no labelled subset ever contains one of them"));
  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(tr("Base run"), baseBox_);
  form->addRow(scratchLikeLabel_, scratchLikeBox_);
  form->addRow(tr("Label"), labelBox_);
  // Below the form, not a row of it: a wrapped label in a form row is
  // given one line's height and clipped.
  auto* column = new QVBoxLayout(group);
  column->addLayout(form);
  column->addWidget(splitLabel_);
  connect(baseBox_, &QComboBox::currentIndexChanged, this, &FinetuneSettingsPanel::onBaseChanged);
  connect(scratchLikeBox_, &QComboBox::currentIndexChanged, this, [this] {
    checkLeak();
    emit changed();
  });
  connect(labelBox_, &QComboBox::currentIndexChanged, this, [this] {
    refreshSplit();
    checkLeak();
    emit labelChanged();
    emit changed();
  });
  return group;
}

QWidget* FinetuneSettingsPanel::makeTrainingGroup() {
  const pl::FinetuneOptions defaults;
  auto* group = new QGroupBox(tr("Training"));
  modeBox_ = new QComboBox;
  modeBox_->setObjectName(QStringLiteral("mode"));
  modeBox_->addItem(tr("Full (encoder + head)"), static_cast<int>(pl::FinetuneMode::Full));
  modeBox_->addItem(tr("Probe (frozen encoder)"), static_cast<int>(pl::FinetuneMode::Probe));
  modeBox_->setToolTip(
      tr("Probe: only a linear head learns, the encoder stays as pretrained. "
         "Full: the encoder learns too, at its own (lower) rate"));
  epochs_ = makeSpin(1, 1000, defaults.maxEpochs, tr("Most epochs over the labelled subset"));
  patience_ = makeSpin(0, 100, defaults.patience,
                       tr("Stop after this many epochs without a better validation accuracy "
                          "(0: never stop early); the best epoch's weights are kept"));
  batch_ = makeSpin(1, 65536, defaults.batch, tr("Products per step"));
  headLr_ = makeLrBox(defaults.headLr, tr("Learning rate of the classification head (AdamW)"));
  encoderLr_ = makeLrBox(defaults.encoderLr,
                         tr("Learning rate of the encoder in full mode: lower than the head's, so "
                            "pretrained features are adjusted rather than overwritten"));
  auto* form = new QFormLayout(group);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(tr("Mode"), modeBox_);
  form->addRow(tr("Epochs (at most)"), epochs_);
  form->addRow(tr("Patience"), patience_);
  form->addRow(tr("Batch"), batch_);
  form->addRow(tr("Head learning rate"), headLr_);
  form->addRow(tr("Encoder learning rate"), encoderLr_);
  connect(modeBox_, &QComboBox::currentIndexChanged, this, [this] {
    encoderLr_->setEnabled(mode() == pl::FinetuneMode::Full && !baseRun().isEmpty());
    emit changed();
  });
  for (QSpinBox* box : {epochs_, patience_, batch_}) {
    connect(box, &QSpinBox::valueChanged, this, &FinetuneSettingsPanel::changed);
  }
  for (ExactDoubleSpinBox* box : {headLr_, encoderLr_}) {
    connect(box, &ExactDoubleSpinBox::exactValueChanged, this, &FinetuneSettingsPanel::changed);
  }
  return group;
}

void FinetuneSettingsPanel::setProject(pl::Project* project) {
  project_ = project;
  labels_.clear();
  if (project_) {
    try {
      labels_ = pl::listLabelChoices(project_->db());
    } catch (const std::exception&) {
      labels_.clear();  // a damaged file: the problems line says there is no label
    }
  }
  const QString keepLabel = labelName();
  {
    QSignalBlocker block(labelBox_);
    labelBox_->clear();
    for (const auto& l : labels_) labelBox_->addItem(q(l.display), q(l.name));
    int index = labelBox_->findData(keepLabel);
    labelBox_->setCurrentIndex(index >= 0 ? index : 0);
  }
  subset_->setProject(project_ ? q(project_->path()) : QString(), labels_);
  {
    QSignalBlocker block(baseBox_);
    baseBox_->clear();  // another project: no choice to keep
  }
  reloadRuns();
  refreshSplit();
  checkLeak();
  emit labelChanged();
  emit changed();
}

void FinetuneSettingsPanel::setSelection(ProductSelection* selection) {
  subset_->setSelection(selection);
}

void FinetuneSettingsPanel::reloadRuns() {
  const QString keepBase = baseBox_->count() ? baseRun() : QStringLiteral("\x01");
  const QString keepLike = scratchLikeBox_->currentData().toString();
  runs_ = project_ ? pl::listRuns(project_->db()) : std::vector<pl::RunRecord>{};
  QSignalBlocker blockBase(baseBox_);
  QSignalBlocker blockLike(scratchLikeBox_);
  baseBox_->clear();
  scratchLikeBox_->clear();
  int newestPretrained = -1;
  for (const pl::RunRecord& run : runs_) {
    auto checkpoint = pl::latestCheckpoint(project_->db(), run.id);
    if (run.kind != "finetune") scratchLikeBox_->addItem(q(run.name), q(run.name));
    if (!checkpoint) continue;
    baseBox_->addItem(tr("%1 (%2, step %3)")
                          .arg(q(run.name), q(run.kind))
                          .arg(QLocale().toString(static_cast<qlonglong>(checkpoint->step))),
                      q(run.name));
    if (run.kind != "finetune") newestPretrained = baseBox_->count() - 1;
  }
  baseBox_->addItem(tr("No pretraining (random initialisation)"), QString());
  scratchLikeBox_->addItem(tr("The default recipe"), QString());
  int base = baseBox_->findData(keepBase);
  if (base < 0) base = newestPretrained >= 0 ? newestPretrained : baseBox_->count() - 1;
  baseBox_->setCurrentIndex(base);
  int like = scratchLikeBox_->findData(keepLike);
  scratchLikeBox_->setCurrentIndex(like >= 0 ? like : 0);
  onBaseChanged();
}

void FinetuneSettingsPanel::refreshSplit() {
  const int index = labelBox_->currentIndex();
  if (!project_ || index < 0 || index >= static_cast<int>(labels_.size())) {
    splitLabel_->setText(project_ ? tr("This project has no categorical field to use as a label.")
                                  : QString());
    return;
  }
  std::optional<pl::StoredLabelSplit> split;
  try {
    split = pl::findStoredLabelSplit(project_->db(), labels_[static_cast<size_t>(index)].splitKey);
  } catch (const std::exception&) {
    split.reset();
  }
  if (split) {
    // Seed 0 marks a split the catalog brought (storeCatalogLabelSplit).
    const QString count = QLocale().toString(static_cast<qlonglong>(split->testItems));
    splitLabel_->setText(split->seed == 0
                             ? tr("Test split: %1 products, the dataset's own — never trained on").arg(count)
                             : tr("Test split: %1 products, drawn once (seed %2) — never trained on")
                                   .arg(count)
                                   .arg(split->seed));
  } else {
    splitLabel_->setText(
        tr("Test split: drawn on first use (20% of each class, seed 1), then "
           "kept — never trained on"));
  }
}

void FinetuneSettingsPanel::onBaseChanged() {
  const bool scratch = baseRun().isEmpty();
  scratchLikeBox_->setVisible(scratch);
  scratchLikeLabel_->setVisible(scratch);
  // A probe on random features measures nothing worth a run.
  auto* model = qobject_cast<QStandardItemModel*>(modeBox_->model());
  if (scratch) setMode(pl::FinetuneMode::Full);
  if (model) {
    if (QStandardItem* probe =
            model->item(modeBox_->findData(static_cast<int>(pl::FinetuneMode::Probe)))) {
      probe->setEnabled(!scratch);
    }
  }
  encoderLr_->setEnabled(mode() == pl::FinetuneMode::Full && !scratch);
  checkLeak();
  emit changed();
}

std::optional<pl::RunConfig> FinetuneSettingsPanel::configOf(const QString& runName) const {
  for (const pl::RunRecord& run : runs_) {
    if (q(run.name) != runName) continue;
    auto config = pl::RunConfig::fromJson(run.configJson, run.name);
    if (config) return *config;
  }
  return std::nullopt;
}

void FinetuneSettingsPanel::checkLeak() {
  leakProblem_.clear();
  const QString label = labelName();
  if (project_ && !label.isEmpty()) {
    const QString base = baseRun();
    const QString model = base.isEmpty() ? scratchLikeBox_->currentData().toString() : base;
    try {
      auto field = pl::resolveLabelField(project_->db(), label.toStdString());
      if (!field) {
        leakProblem_ = q(field.error().message);
      } else if (auto config = model.isEmpty() ? std::optional<pl::RunConfig>(pl::RunConfig{})
                                               : configOf(model)) {
        auto status = pl::checkNoLabelLeak(*config, *field,
                                           model.isEmpty() ? "default" : model.toStdString());
        if (!status) leakProblem_ = q(status.error().message);
      }
    } catch (const std::exception& e) {
      leakProblem_ = QString::fromUtf8(e.what());
    }
  }
  updateProblems();
}

QStringList FinetuneSettingsPanel::problems() const {
  QStringList list;
  if (!project_) return {tr("open a project first")};
  if (labelName().isEmpty()) list << tr("the project has no label field");
  if (!leakProblem_.isEmpty()) list << leakProblem_;
  const QString subset = subset_->problem();
  if (!subset.isEmpty()) list << subset;
  return list;
}

void FinetuneSettingsPanel::updateProblems() {
  const QStringList list = project_ ? problems() : QStringList();
  QStringList escaped;
  for (const QString& p : list) escaped << p.toHtmlEscaped();
  problemLabel_->setText(escaped.join(QStringLiteral("<br>")));
  problemLabel_->setVisible(!list.isEmpty());
}

pl::FinetuneOptions FinetuneSettingsPanel::options() const {
  pl::FinetuneOptions o;
  o.baseRun = baseRun().toStdString();
  if (o.baseRun.empty()) {
    if (auto config = configOf(scratchLikeBox_->currentData().toString()))
      o.scratchConfig = *config;
  }
  o.label = labelName().toStdString();
  o.mode = mode();
  if (subset_->kind() == SubsetChooser::Kind::Fraction) o.fraction = subset_->fraction();
  if (subset_->kind() == SubsetChooser::Kind::HandPicked) o.subsetIds = subset_->handPicked();
  o.maxEpochs = epochs_->value();
  o.patience = patience_->value();
  o.batch = batch_->value();
  o.headLr = headLr_->exactValue();
  o.encoderLr = encoderLr_->exactValue();
  return o;
}

std::optional<pl::ProductFilter> FinetuneSettingsPanel::filter() const {
  if (subset_->kind() != SubsetChooser::Kind::Filter) return std::nullopt;
  return subset_->filter();
}

QString FinetuneSettingsPanel::labelName() const { return labelBox_->currentData().toString(); }
QString FinetuneSettingsPanel::labelDisplay() const { return labelBox_->currentText(); }
QString FinetuneSettingsPanel::baseRun() const { return baseBox_->currentData().toString(); }

void FinetuneSettingsPanel::setBaseRun(const QString& name) {
  const int index = baseBox_->findData(name);
  if (index >= 0) baseBox_->setCurrentIndex(index);
}

bool FinetuneSettingsPanel::setLabel(const QString& name) {
  const int index = labelBox_->findData(name);
  if (index >= 0) labelBox_->setCurrentIndex(index);
  return index >= 0;
}

void FinetuneSettingsPanel::setMode(pl::FinetuneMode mode) {
  modeBox_->setCurrentIndex(modeBox_->findData(static_cast<int>(mode)));
}

pl::FinetuneMode FinetuneSettingsPanel::mode() const {
  return static_cast<pl::FinetuneMode>(modeBox_->currentData().toInt());
}

}  // namespace pl::ui
