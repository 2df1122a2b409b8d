#include "ui/explore/hover_card.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QScreen>

namespace pl::ui {

HoverCard::HoverCard(QWidget* parent) : QFrame(parent, Qt::ToolTip | Qt::FramelessWindowHint) {
  setObjectName(QStringLiteral("hoverCard"));
  setFrameShape(QFrame::Box);
  setAttribute(Qt::WA_ShowWithoutActivating);
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setStyleSheet(QStringLiteral("#hoverCard { background: palette(tooltip-base); "
                               "color: palette(tooltip-text); }"));
  picture_ = new QLabel;
  picture_->setFixedSize(96, 96);
  picture_->setAlignment(Qt::AlignCenter);
  text_ = new QLabel;
  text_->setTextFormat(Qt::RichText);
  text_->setWordWrap(true);
  text_->setFixedWidth(220);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(picture_);
  layout->addWidget(text_, 1);
}

void HoverCard::showProduct(int64_t rowId, const QString& title, const QString& category,
                            const QPixmap& picture, bool hasPicture,
                            const QPoint& globalPos) {
  rowId_ = rowId;
  text_->setText(QStringLiteral("<b>%1</b><br>%2")
                     .arg(title.toHtmlEscaped(),
                          category.isEmpty() ? tr("<i>no category</i>") : category.toHtmlEscaped()));
  picture_->setPixmap(picture);
  picture_->setVisible(hasPicture || !picture.isNull());
  adjustSize();
  QPoint at = globalPos + QPoint(16, 16);
  if (QScreen* screen = QGuiApplication::screenAt(globalPos)) {
    const QRect area = screen->availableGeometry();
    if (at.x() + width() > area.right()) at.setX(globalPos.x() - width() - 16);
    if (at.y() + height() > area.bottom()) at.setY(globalPos.y() - height() - 16);
  }
  move(at);
  show();
  raise();
}

void HoverCard::setPicture(int64_t rowId, const QPixmap& picture) {
  if (rowId != rowId_ || !isVisible() || picture.isNull()) return;
  picture_->setPixmap(picture);
  picture_->setVisible(true);
  adjustSize();
}

QString HoverCard::text() const { return text_->text(); }

}  // namespace pl::ui
