#include "ui/pretrain/run_config_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/pretrain/advanced_settings.h"
#include "ui/pretrain/config_checks.h"
#include "ui/pretrain/display_format.h"
#include "ui/pretrain/image_settings.h"
#include "ui/pretrain/input_fields_list.h"
#include "ui/pretrain/masking_rate_control.h"
#include "ui/pretrain/model_settings.h"
#include "ui/pretrain/objectives_editor.h"
#include "ui/pretrain/run_presets.h"
#include "ui/pretrain/training_settings.h"

namespace pl::ui {

namespace {

QLabel* wrappingLabel() {
  auto* label = new QLabel;
  label->setWordWrap(true);
  label->setTextFormat(Qt::RichText);
  return label;
}

QString bulletList(const QStringList& items) {
  QStringList escaped;
  for (const QString& item : items) escaped << item.toHtmlEscaped();
  return escaped.join(QStringLiteral("<br>"));
}

}  // namespace

RunConfigPanel::RunConfigPanel(QWidget* parent) : QWidget(parent) {
  auto* scroll = new QScrollArea;
  scroll->setWidget(makeForm());
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  estimateLabel_ = wrappingLabel();
  estimateLabel_->setObjectName(QStringLiteral("estimate"));
  problemsLabel_ = wrappingLabel();
  problemsLabel_->setObjectName(QStringLiteral("problems"));
  problemsLabel_->setStyleSheet(QStringLiteral("color: #b00020;"));
  notesLabel_ = wrappingLabel();
  notesLabel_->setObjectName(QStringLiteral("notes"));
  notesLabel_->setStyleSheet(QStringLiteral("color: palette(mid);"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(makePresetRow());
  layout->addWidget(scroll, 1);
  layout->addWidget(estimateLabel_);
  layout->addWidget(problemsLabel_);
  layout->addWidget(notesLabel_);
  setConfig(pl::RunConfig{});
}

QWidget* RunConfigPanel::makePresetRow() {
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  presets_ = new QComboBox;
  presets_->setToolTip(tr("Apply a recipe; the input fields you ticked stay"));
  savePreset_ = new QPushButton(tr("Save as preset…"));
  layout->addWidget(new QLabel(tr("Preset")));
  layout->addWidget(presets_, 1);
  layout->addWidget(savePreset_);
  reloadPresetList();
  connect(presets_, &QComboBox::activated, this, [this](int index) {
    if (index > 0) applyPreset(presets_->itemText(index));
  });
  connect(savePreset_, &QPushButton::clicked, this, &RunConfigPanel::savePreset);
  return row;
}

QWidget* RunConfigPanel::makeForm() {
  auto* form = new QWidget;
  auto* layout = new QVBoxLayout(form);
  layout->setContentsMargins(0, 0, 6, 0);
  model_ = new ModelSettings;
  layout->addWidget(model_);

  auto* inputsBox = new QGroupBox(tr("Input fields (what the model sees)"));
  auto* inputsLayout = new QVBoxLayout(inputsBox);
  inputs_ = new InputFieldsList;
  inputs_->setMinimumHeight(110);
  inputsLayout->addWidget(inputs_);
  layout->addWidget(inputsBox);

  auto* objectivesBox = new QGroupBox(tr("Objectives"));
  auto* objectivesLayout = new QFormLayout(objectivesBox);
  objectivesLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  objectives_ = new ObjectivesEditor;
  objectivesLayout->addRow(objectives_);
  maskRate_ = new MaskingRateControl;
  objectivesLayout->addRow(tr("Masking rate"), maskRate_);
  wholeWord_ = new QCheckBox(tr("Mask whole words"));
  wholeWord_->setToolTip(tr("Hide every piece of a word together, not single subwords"));
  objectivesLayout->addRow(QString(), wholeWord_);
  layout->addWidget(objectivesBox);
  images_ = new ImageSettings;
  layout->addWidget(images_);

  training_ = new TrainingSettings;
  layout->addWidget(training_);
  advanced_ = new AdvancedSettings;
  layout->addWidget(advanced_);
  layout->addStretch(1);

  auto changed = [this] { refresh(); };
  connect(model_, &ModelSettings::changed, this, changed);
  connect(inputs_, &InputFieldsList::inputsChanged, this, changed);
  connect(objectives_, &ObjectivesEditor::changed, this, changed);
  connect(maskRate_, &MaskingRateControl::valueChanged, this, changed);
  connect(wholeWord_, &QCheckBox::toggled, this, changed);
  connect(training_, &TrainingSettings::changed, this, changed);
  connect(advanced_, &AdvancedSettings::changed, this, changed);
  connect(images_, &ImageSettings::changed, this, changed);
  return form;
}

pl::RunConfig RunConfigPanel::config() const {
  pl::RunConfig c = base_;
  model_->writeTo(c);
  c.inputs = inputs_->inputs();
  c.objectives = objectives_->objectives();
  c.maskRate = maskRate_->value();
  c.wholeWordMask = wholeWord_->isChecked();
  training_->writeTo(c);
  images_->writeTo(c);
  advanced_->writeTo(c);
  return c;
}

void RunConfigPanel::setConfig(const pl::RunConfig& c) {
  // One refresh at the end instead of one per field.
  loading_ = true;
  base_ = c;
  model_->readFrom(c);
  inputs_->setInputs(c.inputs);
  objectives_->setObjectives(c.objectives);
  maskRate_->setValue(c.maskRate);
  wholeWord_->setChecked(c.wholeWordMask);
  training_->readFrom(c);
  images_->readFrom(c);
  advanced_->readFrom(c);
  loading_ = false;
  refresh();
}

void RunConfigPanel::setProjectFacts(const ProjectFacts& facts, CardinalityFn cardinality) {
  facts_ = facts;
  cardinality_ = std::move(cardinality);
  cardinalityCache_.clear();
  inputs_->setFields(facts_);
  refresh();
}

bool RunConfigPanel::applyPreset(const QString& name) {
  auto preset = RunPresets::find(name);
  if (!preset) return false;
  setConfig(RunPresets::applied(*preset, config()));
  return true;
}

void RunConfigPanel::savePreset() {
  bool ok = false;
  QString name = QInputDialog::getText(this, tr("Save as preset"),
                                       tr("Name of the preset (input fields are not part of it "
                                          "when it is applied):"),
                                       QLineEdit::Normal, QString(), &ok);
  if (!ok || name.trimmed().isEmpty()) return;
  if (!RunPresets::save(name, config())) {
    QMessageBox::warning(this, tr("Save as preset"),
                         tr("“%1” is a built-in preset; choose another name.").arg(name));
    return;
  }
  reloadPresetList();
}

void RunConfigPanel::reloadPresetList() {
  presets_->clear();
  presets_->addItem(tr("Choose a preset…"));
  presets_->addItems(RunPresets::builtInNames());
  const QStringList saved = RunPresets::savedNames();
  if (!saved.isEmpty()) presets_->insertSeparator(presets_->count());
  presets_->addItems(saved);
}

std::vector<int64_t> RunConfigPanel::cardinalities(const pl::RunConfig& c) {
  std::vector<int64_t> out;
  for (const auto& field : c.attributeInputs()) {
    auto it = cardinalityCache_.find(field);
    if (it == cardinalityCache_.end()) {
      int64_t n =
          cardinality_ && facts_.hasField(field) ? cardinality_(field) : pl::kAssumedCardinality;
      it = cardinalityCache_.emplace(field, n).first;
    }
    out.push_back(it->second);
  }
  return out;
}

void RunConfigPanel::refresh() {
  if (loading_) return;
  const pl::RunConfig c = config();
  // Mask settings only mean something to mlm.
  maskRate_->setEnabled(c.uses("mlm"));
  wholeWord_->setEnabled(c.uses("mlm"));
  images_->setVisible(c.usesImages());
  model_->setImageVit(c.usesImages() && c.imageEncoder == "image-vit");

  bool wasValid = problems_.isEmpty();
  problems_ = configProblems(c, facts_);
  problemsLabel_->setText(bulletList(problems_));
  problemsLabel_->setVisible(!problems_.isEmpty());
  QStringList notes = configNotes(c, facts_);
  notesLabel_->setText(bulletList(notes));
  notesLabel_->setVisible(!notes.isEmpty());

  pl::CatalogShape shape;
  shape.products = facts_.products;
  shape.meanTokens = estimatedTokens(facts_, c);
  for (const auto& f : facts_.fields) {
    if (f.isImage && facts_.products > 0) shape.picturedShare = double(f.nonEmpty) / double(facts_.products);
  }
  shape.attributeCardinalities = cardinalities(c);
  estimate_ = pl::estimateRun(c, shape);
  QString time = facts_.products > 0 ? tr("≈ %1 per epoch (%2 steps)")
                                           .arg(formatDuration(estimate_.secondsPerEpoch))
                                           .arg(estimate_.stepsPerEpoch)
                                     : tr("time per epoch: needs products");
  if (facts_.products > 0 && estimate_.setupSeconds >= 1) {
    time += tr(" + %1 to find lexical neighbours").arg(formatDuration(estimate_.setupSeconds));
  }
  estimateLabel_->setText(tr("<b>%1</b> parameters · %2 <span style='color:gray'>(rough, "
                             "2-core machine)</span>")
                              .arg(formatCount(static_cast<double>(estimate_.parameters)), time));
  if (wasValid != problems_.isEmpty()) emit validityChanged(problems_.isEmpty());
  emit changed();
}

}  // namespace pl::ui
