#include "ui/pretrain/masking_rate_control.h"

#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>
#include <cmath>

#include "ui/pretrain/exact_double_spin_box.h"

namespace pl::ui {

MaskingRateControl::MaskingRateControl(QWidget* parent) : QWidget(parent) {
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setRange(qRound(kMinimum * 100), qRound(kMaximum * 100));
  slider_->setPageStep(5);
  slider_->setToolTip(tr("Share of tokens hidden and predicted by mlm (BERT: 0.15)"));
  spin_ = new ExactDoubleSpinBox;
  spin_->setRange(kMinimum, kMaximum);
  spin_->setDecimals(2);
  spin_->setSingleStep(0.01);
  spin_->setToolTip(slider_->toolTip());
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(slider_, 1);
  layout->addWidget(spin_);

  connect(slider_, &QSlider::valueChanged, this, [this](int percent) {
    // Only user moves reach here: syncSlider() blocks the slider's signals.
    spin_->setExactValue(percent / 100.0);
  });
  connect(spin_, &ExactDoubleSpinBox::exactValueChanged, this, [this](double rate) {
    syncSlider(rate);
    emit valueChanged(rate);
  });
  setValue(0.15);
}

double MaskingRateControl::value() const { return spin_->exactValue(); }

void MaskingRateControl::setValue(double rate) {
  spin_->setExactValue(rate);
  syncSlider(rate);
}

void MaskingRateControl::syncSlider(double rate) {
  QSignalBlocker block(slider_);
  slider_->setValue(static_cast<int>(std::lround(rate * 100)));
}

}  // namespace pl::ui
