#pragma once
// How long and how fast a run learns: batch, learning rate and schedule,
// the three limits (epochs, max steps, time limit; 0 means none), seed and
// LibTorch threads.

#include <QGroupBox>

#include "train/run_config.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace pl::ui {

class ExactDoubleSpinBox;

/// Optimisation settings <-> RunConfig.
class TrainingSettings : public QGroupBox {
  Q_OBJECT

 public:
  explicit TrainingSettings(QWidget* parent = nullptr);

  void writeTo(pl::RunConfig& config) const;
  void readFrom(const pl::RunConfig& config);

  QSpinBox* batch() const { return batch_; }
  ExactDoubleSpinBox* learningRate() const { return lr_; }
  QSpinBox* epochs() const { return epochs_; }
  QSpinBox* maxSteps() const { return maxSteps_; }
  ExactDoubleSpinBox* timeLimit() const { return timeLimit_; }
  QLineEdit* seed() const { return seed_; }
  QSpinBox* threads() const { return threads_; }

 signals:
  void changed();

 private:
  QSpinBox* batch_;
  ExactDoubleSpinBox* lr_;
  QComboBox* schedule_;
  QSpinBox* epochs_;
  QSpinBox* maxSteps_;
  ExactDoubleSpinBox* timeLimit_;
  QLineEdit* seed_;
  QSpinBox* threads_;
};

}  // namespace pl::ui
