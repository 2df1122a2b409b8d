#pragma once
// Masking rate as a slider (coarse, in percent) and a spin box (exact),
// kept in sync both ways. The range is the page's 0.05–0.8; the core
// accepts 0.01–0.9, and a cloned config outside the range still round-trips.

#include <QWidget>

class QSlider;

namespace pl::ui {

class ExactDoubleSpinBox;

/// Slider + spin box for the mlm masking rate.
class MaskingRateControl : public QWidget {
  Q_OBJECT

 public:
  static constexpr double kMinimum = 0.05;
  static constexpr double kMaximum = 0.8;

  explicit MaskingRateControl(QWidget* parent = nullptr);

  double value() const;
  /// Shows `rate`; value() returns it exactly, even between slider ticks.
  void setValue(double rate);

  QSlider* slider() const { return slider_; }
  ExactDoubleSpinBox* spinBox() const { return spin_; }

 signals:
  void valueChanged(double rate);

 private:
  void syncSlider(double rate);

  QSlider* slider_;
  ExactDoubleSpinBox* spin_;
};

}  // namespace pl::ui
