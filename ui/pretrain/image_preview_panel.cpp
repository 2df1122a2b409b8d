#include "ui/pretrain/image_preview_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "ui/image_convert.h"

namespace pl::ui {

namespace {

constexpr int kThumb = 72;

QLabel* thumbnail(const cv::Mat& picture) {
  auto* label = new QLabel;
  label->setFixedSize(kThumb, kThumb);
  label->setAlignment(Qt::AlignCenter);
  if (picture.empty()) {
    label->setText(QStringLiteral("—"));
    label->setEnabled(false);
  } else {
    label->setPixmap(productPixmap(matToQImage(picture), kThumb));
  }
  return label;
}

}  // namespace

ImagePreviewPanel::ImagePreviewPanel(QWidget* parent) : QWidget(parent) {
  caption_ = new QLabel;
  caption_->setWordWrap(true);
  grid_ = new QWidget;
  gridLayout_ = new QGridLayout(grid_);
  gridLayout_->setContentsMargins(0, 0, 0, 0);
  gridLayout_->setHorizontalSpacing(8);
  auto* scroll = new QScrollArea;
  scroll->setWidget(grid_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(caption_);
  layout->addWidget(scroll, 1);
  showPreview(nullptr);
}

void ImagePreviewPanel::showPreview(std::shared_ptr<const pl::ImagePreview> preview) {
  preview_ = std::move(preview);
  while (QLayoutItem* item = gridLayout_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  if (!preview_ || preview_->items.empty()) {
    caption_->setText(tr("Tick the <b>image</b> input to train on product pictures; this tab "
                         "then shows what the encoder sees."));
    return;
  }
  caption_->setText(preview_->step < 0
                        ? tr("What the settings do to a few pictures (the model's reconstructions "
                             "appear here during a run with mim).")
                        : tr("At step %L1: the same products, new views, and the model's "
                             "reconstruction of the hidden patches.")
                              .arg(preview_->step));
  const QStringList headers = {tr("Picture"), tr("View 1"), tr("View 2"), tr("Masked"), tr("Reconstructed")};
  for (int c = 0; c < headers.size(); ++c) {
    auto* header = new QLabel(headers[c]);
    header->setAlignment(Qt::AlignCenter);
    gridLayout_->addWidget(header, 0, c);
  }
  int row = 1;
  for (const auto& item : preview_->items) {
    const cv::Mat* pictures[] = {&item.fitted, &item.viewA, &item.viewB, &item.masked, &item.reconstruction};
    for (int c = 0; c < 5; ++c) gridLayout_->addWidget(thumbnail(*pictures[c]), row, c);
    ++row;
  }
  gridLayout_->setRowStretch(row, 1);
  gridLayout_->setColumnStretch(5, 1);
}

}  // namespace pl::ui
