#include "ui/pretrain/exact_double_spin_box.h"

#include <QLocale>
#include <cmath>

namespace pl::ui {

ExactDoubleSpinBox::ExactDoubleSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  exact_ = value();
  connect(this, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (settingExact_) return;
    exact_ = v;
    emit exactValueChanged(exact_);
  });
}

void ExactDoubleSpinBox::setExactValue(double value) {
  settingExact_ = true;
  setValue(value);
  settingExact_ = false;
  bool changed = exact_ != value;
  exact_ = value;
  if (changed) emit exactValueChanged(exact_);
}

void ExactDoubleSpinBox::setShortestText(bool on) {
  shortest_ = on;
  if (on) setDecimals(12);
  setExactValue(exact_);
}

QString ExactDoubleSpinBox::textFromValue(double value) const {
  if (!shortest_) return QDoubleSpinBox::textFromValue(value);
  // The remembered exact value when it is what is shown, so 0.00012345 reads
  // as such and not as the 12-decimal rounding.
  double shown = qFuzzyCompare(1.0 + value, 1.0 + exact_) ? exact_ : value;
  // Plain decimals where they stay short (0.0005), exponents beyond (1e-07).
  const double magnitude = std::fabs(shown);
  const char format = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e7) ? 'f' : 'g';
  return locale().toString(shown, format, QLocale::FloatingPointShortest);
}

double ExactDoubleSpinBox::valueFromText(const QString& text) const {
  if (!shortest_) return QDoubleSpinBox::valueFromText(text);
  return locale().toDouble(text.trimmed());
}

QValidator::State ExactDoubleSpinBox::validate(QString& text, int& pos) const {
  if (!shortest_) return QDoubleSpinBox::validate(text, pos);
  QString t = text.trimmed();
  if (t.isEmpty() || t.endsWith('e') || t.endsWith('E') || t.endsWith('-') || t.endsWith('.')) {
    return QValidator::Intermediate;
  }
  bool ok = false;
  double v = locale().toDouble(t, &ok);
  if (!ok) return QValidator::Invalid;
  return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

}  // namespace pl::ui
