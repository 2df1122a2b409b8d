#pragma once
// The right-hand side of the Data page: one product's picture, title and
// every field and attribute the catalog had.

#include <QScrollArea>
#include <cstdint>

class QFormLayout;
class QLabel;

namespace pl {
class Database;
}

namespace pl::ui {

/// Shows one product in full.
class ProductDetailPanel : public QScrollArea {
  Q_OBJECT

 public:
  /// Edge of the square the picture is fitted into, in pixels.
  static constexpr int kImageBox = 224;

  explicit ProductDetailPanel(QWidget* parent = nullptr);

  /// Loads and shows the product; a missing product or a read failure is
  /// said in the panel.
  void showProduct(pl::Database& db, int64_t rowId);
  /// Shows `message` instead of a product (nothing selected, no project).
  void showMessage(const QString& message);

  int64_t rowId() const { return rowId_; }
  /// The picture label, for tests: its pixmap is null without an image.
  const QLabel* imageLabel() const { return image_; }
  const QLabel* titleLabel() const { return title_; }

 private:
  void clearFields();
  void addField(QFormLayout* form, const QString& name, const QString& value);

  int64_t rowId_ = 0;
  QLabel* image_;
  QLabel* title_;
  QLabel* message_;
  QWidget* fieldsBox_;
  QFormLayout* fields_;
  QLabel* attributesHeading_;
  QFormLayout* attributes_;
};

}  // namespace pl::ui
