#pragma once
// The settings most runs leave alone: vocabulary and product-vector size,
// dropout, the contrastive views (temperature, word drop, negative queue), AdamW details,
// validation share, checkpoint interval, the attr targets and whitening. Collapsed by default; every field is
// still part of the config, so a cloned run keeps them exactly.

#include <QWidget>

#include "train/run_config.h"

class QCheckBox;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace pl::ui {

class ExactDoubleSpinBox;

/// Expandable "Advanced" section <-> the remaining RunConfig fields.
class AdvancedSettings : public QWidget {
  Q_OBJECT

 public:
  explicit AdvancedSettings(QWidget* parent = nullptr);

  void writeTo(pl::RunConfig& config) const;
  void readFrom(const pl::RunConfig& config);
  void setExpanded(bool expanded);

  QSpinBox* vocabSize() const { return vocab_; }

 signals:
  void changed();

 private:
  QToolButton* toggle_;
  QWidget* body_;
  QSpinBox* vocab_;
  QSpinBox* embeddingDim_;
  ExactDoubleSpinBox* dropout_;
  ExactDoubleSpinBox* temperature_;
  ExactDoubleSpinBox* viewWordDrop_;
  ExactDoubleSpinBox* firstViewWordDrop_;
  ExactDoubleSpinBox* lexicalViews_;
  QSpinBox* negativeQueue_;
  ExactDoubleSpinBox* weightDecay_;
  ExactDoubleSpinBox* warmup_;
  ExactDoubleSpinBox* clipNorm_;
  ExactDoubleSpinBox* validation_;
  QSpinBox* checkpointEvery_;
  QLineEdit* attrTargets_;
  QCheckBox* whiten_;
};

}  // namespace pl::ui
