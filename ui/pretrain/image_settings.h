#pragma once
// The picture settings of a run, shown when the image input is ticked: the
// image encoder, the size and colour the pictures are fitted to, mim's patch
// size and masking rate, the augmentations of contrastive views, and how
// often training hides the picture from the fused vector.

#include <QGroupBox>

#include "train/run_config.h"

class QComboBox;
class QSpinBox;

namespace pl::ui {

class ExactDoubleSpinBox;

/// "Pictures" group <-> the image fields of a RunConfig.
class ImageSettings : public QGroupBox {
  Q_OBJECT

 public:
  explicit ImageSettings(QWidget* parent = nullptr);

  void writeTo(pl::RunConfig& config) const;
  void readFrom(const pl::RunConfig& config);

  QComboBox* encoder() const { return encoder_; }
  QSpinBox* size() const { return size_; }

 signals:
  void changed();

 private:
  QComboBox* encoder_;
  QSpinBox* size_;
  QComboBox* channels_;
  QComboBox* fit_;
  QSpinBox* patch_;
  ExactDoubleSpinBox* maskRate_;
  ExactDoubleSpinBox* cropScale_;
  ExactDoubleSpinBox* flip_;
  ExactDoubleSpinBox* jitter_;
  ExactDoubleSpinBox* grayscale_;
  ExactDoubleSpinBox* blur_;
  ExactDoubleSpinBox* modalityDropout_;
};

}  // namespace pl::ui
