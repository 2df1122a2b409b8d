#include "ui/pretrain/advanced_settings.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/pretrain/exact_double_spin_box.h"

namespace pl::ui {

namespace {

ExactDoubleSpinBox* real(double low, double high, double step, const QString& tip) {
  auto* box = new ExactDoubleSpinBox;
  box->setRange(low, high);
  box->setDecimals(3);
  box->setSingleStep(step);
  box->setToolTip(tip);
  return box;
}

QSpinBox* whole(int low, int high, int step, const QString& tip) {
  auto* box = new QSpinBox;
  box->setRange(low, high);
  box->setSingleStep(step);
  box->setToolTip(tip);
  box->setGroupSeparatorShown(true);
  return box;
}

}  // namespace

AdvancedSettings::AdvancedSettings(QWidget* parent) : QWidget(parent) {
  toggle_ = new QToolButton;
  toggle_->setText(tr("Advanced"));
  toggle_->setCheckable(true);
  toggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toggle_->setAutoRaise(true);
  body_ = new QWidget;

  vocab_ = whole(0, 1'000'000, 1000, tr("Tokenizer pieces (SentencePiece unigram)"));
  embeddingDim_ = whole(2, 4096, 16, tr("Size of the fused, L2-normalised product vector"));
  dropout_ = real(0, 0.9, 0.05, tr("Dropout in the encoder; also what makes SimCSE views differ"));
  temperature_ = real(0.001, 10, 0.01, tr("InfoNCE temperature (contrastive, co-purchase)"));
  // Up to 0.8, as RunConfig::validate allows: a view needs words left.
  viewWordDrop_ = real(0, 0.8, 0.05,
                       tr("contrastive: share of whole words left out of the second "
                          "view (0: the clean text); harder views keep learning"));
  firstViewWordDrop_ = real(0, 0.8, 0.05,
                            tr("contrastive: share of whole words left out of the first view "
                               "too, drawn apart from the second (0: the clean text)"));
  lexicalViews_ = real(0, 1, 0.05,
                       tr("contrastive: share of second views taken from one of the product's "
                          "two nearest products by TF-IDF (0: always the product itself)"));
  negativeQueue_ = whole(0, 1'000'000, 256,
                         tr("contrastive: recent views kept as extra negatives "
                            "(0: only the batch)"));
  weightDecay_ = real(0, 1, 0.01, tr("AdamW weight decay"));
  warmup_ = real(0, 0.5, 0.01, tr("Share of the run spent warming the learning rate up"));
  clipNorm_ = real(0, 100, 0.5, tr("Gradient norm clip (0: none)"));
  validation_ = real(0, 0.5, 0.01, tr("Share of products held out for validation losses"));
  checkpointEvery_ = whole(1, 1'000'000, 100, tr("Steps between checkpoints (Stop saves one too)"));
  attrTargets_ = new QLineEdit;
  attrTargets_->setPlaceholderText(tr("all category-like inputs"));
  attrTargets_->setToolTip(tr("Comma-separated inputs that attr hides and predicts"));

  whiten_ = new QCheckBox(tr("Whiten the catalog's vectors when embedding"));
  whiten_->setToolTip(tr("Centre and decorrelate the product vectors (fitted on this "
                         "catalog, no labels); usually better cosine neighbours"));

  auto* form = new QFormLayout(body_);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Vocabulary"), vocab_);
  form->addRow(tr("Product vector"), embeddingDim_);
  form->addRow(tr("Dropout"), dropout_);
  form->addRow(tr("Temperature"), temperature_);
  form->addRow(tr("View word drop"), viewWordDrop_);
  form->addRow(tr("First view drop"), firstViewWordDrop_);
  form->addRow(tr("Lexical views"), lexicalViews_);
  form->addRow(tr("Negative queue"), negativeQueue_);
  form->addRow(tr("Weight decay"), weightDecay_);
  form->addRow(tr("Warm-up share"), warmup_);
  form->addRow(tr("Clip norm"), clipNorm_);
  form->addRow(tr("Validation share"), validation_);
  form->addRow(tr("Checkpoint every"), checkpointEvery_);
  form->addRow(tr("attr targets"), attrTargets_);
  form->addRow(QString(), whiten_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(toggle_);
  layout->addWidget(body_);
  connect(toggle_, &QToolButton::toggled, this, &AdvancedSettings::setExpanded);
  setExpanded(false);

  for (QSpinBox* box : {vocab_, embeddingDim_, negativeQueue_, checkpointEvery_}) {
    connect(box, &QSpinBox::valueChanged, this, &AdvancedSettings::changed);
  }
  for (ExactDoubleSpinBox* box :
       {dropout_, temperature_, viewWordDrop_, firstViewWordDrop_, lexicalViews_, weightDecay_,
        warmup_, clipNorm_, validation_}) {
    connect(box, &ExactDoubleSpinBox::exactValueChanged, this, &AdvancedSettings::changed);
  }
  connect(attrTargets_, &QLineEdit::textChanged, this, &AdvancedSettings::changed);
  connect(whiten_, &QCheckBox::toggled, this, &AdvancedSettings::changed);
  readFrom(pl::RunConfig{});
}

void AdvancedSettings::setExpanded(bool expanded) {
  toggle_->setChecked(expanded);
  toggle_->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
  body_->setVisible(expanded);
}

void AdvancedSettings::writeTo(pl::RunConfig& c) const {
  c.vocabSize = vocab_->value();
  c.embeddingDim = embeddingDim_->value();
  c.dropout = dropout_->exactValue();
  c.temperature = temperature_->exactValue();
  c.viewWordDrop = viewWordDrop_->exactValue();
  c.firstViewWordDrop = firstViewWordDrop_->exactValue();
  c.lexicalViews = lexicalViews_->exactValue();
  c.negativeQueue = negativeQueue_->value();
  c.weightDecay = weightDecay_->exactValue();
  c.warmupFraction = warmup_->exactValue();
  c.clipNorm = clipNorm_->exactValue();
  c.validationFraction = validation_->exactValue();
  c.checkpointEvery = checkpointEvery_->value();
  c.whiten = whiten_->isChecked();
  c.attrTargets.clear();
  for (const QString& part : attrTargets_->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    if (!part.trimmed().isEmpty()) c.attrTargets.push_back(part.trimmed().toStdString());
  }
}

void AdvancedSettings::readFrom(const pl::RunConfig& c) {
  vocab_->setValue(c.vocabSize);
  embeddingDim_->setValue(c.embeddingDim);
  dropout_->setExactValue(c.dropout);
  temperature_->setExactValue(c.temperature);
  viewWordDrop_->setExactValue(c.viewWordDrop);
  firstViewWordDrop_->setExactValue(c.firstViewWordDrop);
  lexicalViews_->setExactValue(c.lexicalViews);
  negativeQueue_->setValue(c.negativeQueue);
  weightDecay_->setExactValue(c.weightDecay);
  warmup_->setExactValue(c.warmupFraction);
  clipNorm_->setExactValue(c.clipNorm);
  validation_->setExactValue(c.validationFraction);
  whiten_->setChecked(c.whiten);
  checkpointEvery_->setValue(c.checkpointEvery);
  QStringList targets;
  for (const auto& t : c.attrTargets) targets << QString::fromStdString(t);
  attrTargets_->setText(targets.join(QStringLiteral(", ")));
}

}  // namespace pl::ui
