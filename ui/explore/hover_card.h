#pragma once
// The card that follows the mouse over the map: the product's picture,
// title and category. A tool-tip window of our own, because QToolTip shows
// no pictures that are not files.

#include <QFrame>
#include <cstdint>

class QLabel;

namespace pl::ui {

/// Floating product card (Qt::ToolTip window).
class HoverCard : public QFrame {
  Q_OBJECT

 public:
  explicit HoverCard(QWidget* parent = nullptr);
  /// Shows the card near `globalPos` (below right, kept on screen).
  /// `hasPicture`: keep room for a picture still loading.
  void showProduct(int64_t rowId, const QString& title, const QString& category,
                   const QPixmap& picture, bool hasPicture, const QPoint& globalPos);
  /// The picture arrived after the card was shown.
  void setPicture(int64_t rowId, const QPixmap& picture);
  int64_t rowId() const { return rowId_; }
  QString text() const;

 private:
  int64_t rowId_ = 0;
  QLabel* picture_;
  QLabel* text_;
};

}  // namespace pl::ui
