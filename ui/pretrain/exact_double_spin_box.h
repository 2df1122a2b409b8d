#pragma once
// A QDoubleSpinBox that gives back exactly the value it was given. A plain
// one rounds to its decimals, so a run config with lr 0.00012345 or a mask
// rate of 0.123 would change just by being shown; this one remembers the
// exact value until the user edits it, and can show numbers in their
// shortest exact form (0.0005, 1e-05) instead of fixed decimals.

#include <QDoubleSpinBox>

namespace pl::ui {

/// Spin box whose exactValue() round-trips setExactValue().
class ExactDoubleSpinBox : public QDoubleSpinBox {
  Q_OBJECT

 public:
  explicit ExactDoubleSpinBox(QWidget* parent = nullptr);

  /// Shows `value` (rounded for display) and remembers it exactly.
  void setExactValue(double value);
  /// The value given to setExactValue(), or the user's edit since.
  double exactValue() const { return exact_; }
  /// Shortest exact text ("0.0005", "3e-05") instead of fixed decimals;
  /// typed values keep up to 12 decimals.
  void setShortestText(bool on);

 signals:
  /// Emitted for every change of exactValue(), from the user or from code.
  void exactValueChanged(double value);

 protected:
  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;

 private:
  double exact_ = 0;
  bool settingExact_ = false;
  bool shortest_ = false;
};

}  // namespace pl::ui
