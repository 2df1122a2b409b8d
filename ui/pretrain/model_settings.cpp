#include "ui/pretrain/model_settings.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>

namespace pl::ui {

namespace {

QSpinBox* spin(int low, int high, int step, const QString& tip) {
  auto* box = new QSpinBox;
  box->setRange(low, high);
  box->setSingleStep(step);
  box->setToolTip(tip);
  return box;
}

}  // namespace

void selectComboData(QComboBox* combo, const QString& value) {
  int index = combo->findData(value);
  if (index < 0) {
    combo->addItem(value, value);
    index = combo->count() - 1;
  }
  combo->setCurrentIndex(index);
}

ModelSettings::ModelSettings(QWidget* parent) : QGroupBox(tr("Encoder"), parent) {
  encoder_ = new QComboBox;
  encoder_->addItem(tr("Transformer (text-transformer)"), QStringLiteral("text-transformer"));
  encoder_->addItem(tr("Bag of subwords (text-bow, fast)"), QStringLiteral("text-bow"));
  // Ranges reach past what the core accepts (0 heads, ...): a bad value from
  // a cloned or hand-written config is shown and explained, not clamped away.
  layers_ = spin(0, 48, 1, tr("Transformer blocks"));
  dim_ = spin(0, 4096, 16, tr("Model width: token and product vectors"));
  heads_ = spin(0, 64, 1, tr("Attention heads; must divide the width"));
  maxLength_ = spin(1, 4096, 8, tr("Tokens per product text, [CLS] included; longer is cut"));
  pooling_ = new QComboBox;
  pooling_->addItem(tr("mean of tokens"), QStringLiteral("mean"));
  pooling_->addItem(tr("[CLS] token"), QStringLiteral("cls"));

  auto* form = new QFormLayout(this);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(tr("Encoder"), encoder_);
  form->addRow(tr("Layers"), layers_);
  form->addRow(tr("Width (dim)"), dim_);
  form->addRow(tr("Heads"), heads_);
  form->addRow(tr("Max length"), maxLength_);
  form->addRow(tr("Pooling"), pooling_);

  for (QSpinBox* box : {layers_, dim_, heads_, maxLength_}) {
    connect(box, &QSpinBox::valueChanged, this, &ModelSettings::changed);
  }
  for (QComboBox* combo : {encoder_, pooling_}) {
    connect(combo, &QComboBox::currentIndexChanged, this, &ModelSettings::changed);
  }
  connect(encoder_, &QComboBox::currentIndexChanged, this, &ModelSettings::updateEnabled);
  readFrom(pl::RunConfig{});
}

void ModelSettings::writeTo(pl::RunConfig& c) const {
  c.encoder = encoder_->currentData().toString().toStdString();
  c.layers = layers_->value();
  c.dim = dim_->value();
  c.heads = heads_->value();
  c.maxLength = maxLength_->value();
  c.pooling = pooling_->currentData().toString().toStdString();
}

void ModelSettings::readFrom(const pl::RunConfig& c) {
  selectComboData(encoder_, QString::fromStdString(c.encoder));
  layers_->setValue(c.layers);
  dim_->setValue(c.dim);
  heads_->setValue(c.heads);
  maxLength_->setValue(c.maxLength);
  selectComboData(pooling_, QString::fromStdString(c.pooling));
  updateEnabled();
}

void ModelSettings::updateEnabled() {
  // The bag of subwords has no blocks, heads or positions; it always averages.
  bool transformer = encoder_->currentData().toString() == QLatin1String("text-transformer");
  layers_->setEnabled(transformer || imageVit_);
  heads_->setEnabled(transformer || imageVit_);
  pooling_->setEnabled(transformer);
}

void ModelSettings::setImageVit(bool vit) {
  if (vit == imageVit_) return;
  imageVit_ = vit;
  updateEnabled();
}

}  // namespace pl::ui
