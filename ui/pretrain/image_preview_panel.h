#pragma once
// The Pretrain page's "Pictures" tab: for a few products, the picture as the
// encoder gets it, two contrastive views, and with mim the masked input and
// the model's reconstruction. Before a run it shows what the settings do;
// during a run it follows the model (a new preview every few seconds).

#include <QWidget>
#include <memory>

#include "train/image_preview.h"

class QGridLayout;
class QLabel;

namespace pl::ui {

class ImagePreviewPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ImagePreviewPanel(QWidget* parent = nullptr);

  /// Shows `preview` (null: the "no pictures" note).
  void showPreview(std::shared_ptr<const pl::ImagePreview> preview);
  std::shared_ptr<const pl::ImagePreview> preview() const { return preview_; }
  /// Text above the grid (what the preview shows, or why there is none).
  QLabel* caption() const { return caption_; }

 private:
  std::shared_ptr<const pl::ImagePreview> preview_;
  QLabel* caption_;
  QWidget* grid_;
  QGridLayout* gridLayout_;
};

}  // namespace pl::ui
