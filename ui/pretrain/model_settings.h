#pragma once
// The encoder and its shape: text-transformer or text-bow, layers, width,
// heads, max length, pooling. Settings the chosen encoder ignores are
// disabled rather than hidden, so the form does not jump.

#include <QGroupBox>

#include "train/run_config.h"

class QComboBox;
class QSpinBox;

namespace pl::ui {

/// Encoder settings <-> RunConfig (encoder, layers, dim, heads, maxLength, pooling).
class ModelSettings : public QGroupBox {
  Q_OBJECT

 public:
  explicit ModelSettings(QWidget* parent = nullptr);

  void writeTo(pl::RunConfig& config) const;
  void readFrom(const pl::RunConfig& config);
  /// The image-vit shares layers and heads: keep them editable whatever the text encoder.
  void setImageVit(bool vit);

  QComboBox* encoder() const { return encoder_; }
  QSpinBox* layers() const { return layers_; }
  QSpinBox* dim() const { return dim_; }
  QSpinBox* heads() const { return heads_; }
  QSpinBox* maxLength() const { return maxLength_; }
  QComboBox* pooling() const { return pooling_; }

 signals:
  void changed();

 private:
  void updateEnabled();
  bool imageVit_ = false;

  QComboBox* encoder_;
  QSpinBox* layers_;
  QSpinBox* dim_;
  QSpinBox* heads_;
  QSpinBox* maxLength_;
  QComboBox* pooling_;
};

/// Sets `combo` to the item whose data is `value`, adding it when missing
/// (a config from elsewhere must still round-trip; the checks explain it).
void selectComboData(QComboBox* combo, const QString& value);

}  // namespace pl::ui
