#include "ui/pretrain/image_settings.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>

#include "ui/pretrain/exact_double_spin_box.h"

namespace pl::ui {

namespace {

ExactDoubleSpinBox* share(double high, const QString& tip) {
  auto* box = new ExactDoubleSpinBox;
  box->setRange(0, high);
  box->setDecimals(3);
  box->setSingleStep(0.05);
  box->setToolTip(tip);
  return box;
}

}  // namespace

ImageSettings::ImageSettings(QWidget* parent) : QGroupBox(tr("Pictures"), parent) {
  encoder_ = new QComboBox;
  encoder_->addItem(tr("Small ResNet (image-cnn)"), QStringLiteral("image-cnn"));
  encoder_->addItem(tr("Vision Transformer (image-vit)"), QStringLiteral("image-vit"));
  encoder_->setToolTip(tr("image-vit uses the model's layers, width and heads"));
  size_ = new QSpinBox;
  size_->setRange(16, 256);
  size_->setSingleStep(8);
  size_->setSuffix(tr(" px"));
  size_->setToolTip(tr("Pictures are fitted to this square (a multiple of 8); cost grows with its area"));
  channels_ = new QComboBox;
  channels_->addItem(tr("Colour"), 3);
  channels_->addItem(tr("Grey"), 1);
  fit_ = new QComboBox;
  fit_->addItem(tr("Pad (whole picture)"), true);
  fit_->addItem(tr("Centre crop"), false);
  patch_ = new QSpinBox;
  patch_->setRange(2, 32);
  patch_->setSuffix(tr(" px"));
  patch_->setToolTip(tr("ViT patches and the patches mim hides (must divide the size)"));
  maskRate_ = share(0.95, tr("mim: share of patches hidden and reconstructed (MAE uses 0.75)"));
  cropScale_ = share(1, tr("Contrastive views: smallest area share of a random crop (1: no crop)"));
  flip_ = share(1, tr("Probability of a horizontal flip"));
  jitter_ = share(0.9, tr("Brightness, contrast and saturation change by up to this factor"));
  grayscale_ = share(1, tr("Probability of dropping colour"));
  blur_ = share(1, tr("Probability of a Gaussian blur"));
  modalityDropout_ = share(0.9, tr("Share of pictures hidden from the product vector in training, "
                                   "so products without a picture still get a good vector"));

  auto* form = new QFormLayout(this);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(tr("Encoder"), encoder_);
  form->addRow(tr("Size"), size_);
  form->addRow(tr("Colour"), channels_);
  form->addRow(tr("Fit"), fit_);
  form->addRow(tr("Patch"), patch_);
  form->addRow(tr("Masked patches"), maskRate_);
  form->addRow(tr("Crop scale"), cropScale_);
  form->addRow(tr("Flip"), flip_);
  form->addRow(tr("Colour jitter"), jitter_);
  form->addRow(tr("Grayscale"), grayscale_);
  form->addRow(tr("Blur"), blur_);
  form->addRow(tr("Picture dropout"), modalityDropout_);

  for (QComboBox* box : {encoder_, channels_, fit_}) {
    connect(box, &QComboBox::currentIndexChanged, this, &ImageSettings::changed);
  }
  for (QSpinBox* box : {size_, patch_}) connect(box, &QSpinBox::valueChanged, this, &ImageSettings::changed);
  for (ExactDoubleSpinBox* box : {maskRate_, cropScale_, flip_, jitter_, grayscale_, blur_, modalityDropout_}) {
    connect(box, &ExactDoubleSpinBox::exactValueChanged, this, &ImageSettings::changed);
  }
}

void ImageSettings::writeTo(pl::RunConfig& c) const {
  c.imageEncoder = encoder_->currentData().toString().toStdString();
  c.image.size = size_->value();
  c.image.channels = channels_->currentData().toInt();
  c.image.pad = fit_->currentData().toBool();
  c.patchSize = patch_->value();
  c.imageMaskRate = maskRate_->exactValue();
  c.augment.cropScaleMin = cropScale_->exactValue();
  c.augment.flip = flip_->exactValue();
  c.augment.colourJitter = jitter_->exactValue();
  c.augment.grayscale = grayscale_->exactValue();
  c.augment.blur = blur_->exactValue();
  c.modalityDropout = modalityDropout_->exactValue();
}

void ImageSettings::readFrom(const pl::RunConfig& c) {
  encoder_->setCurrentIndex(std::max(0, encoder_->findData(QString::fromStdString(c.imageEncoder))));
  size_->setValue(c.image.size);
  channels_->setCurrentIndex(std::max(0, channels_->findData(c.image.channels)));
  fit_->setCurrentIndex(c.image.pad ? 0 : 1);
  patch_->setValue(c.patchSize);
  maskRate_->setExactValue(c.imageMaskRate);
  cropScale_->setExactValue(c.augment.cropScaleMin);
  flip_->setExactValue(c.augment.flip);
  jitter_->setExactValue(c.augment.colourJitter);
  grayscale_->setExactValue(c.augment.grayscale);
  blur_->setExactValue(c.augment.blur);
  modalityDropout_->setExactValue(c.modalityDropout);
}

}  // namespace pl::ui
