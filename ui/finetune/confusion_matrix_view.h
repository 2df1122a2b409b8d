#pragma once
// The confusion matrix of a fine-tuned classifier on the label's test split:
// rows are the true classes, columns the predicted ones, cells shaded by the
// share of the row (so a small class's mistakes show as clearly as a large
// one's). The project stores scores, not matrices: the page shows the one
// of the fine-tune it ran last.

#include <QWidget>
#include <cstdint>
#include <string>
#include <vector>

class QLabel;
class QTableView;
class QStandardItemModel;

namespace pl::ui {

/// A classes x classes count table with row-normalised shading.
class ConfusionMatrixView : public QWidget {
  Q_OBJECT

 public:
  explicit ConfusionMatrixView(QWidget* parent = nullptr);

  /// Shows `confusion[truth][predicted]`; `classNames` label it (missing
  /// names read "class N"). `title` says whose matrix it is.
  void setMatrix(const QString& title, const std::vector<std::vector<int64_t>>& confusion,
                 const std::vector<std::string>& classNames);
  /// Back to the hint (no matrix).
  void clear(const QString& hint);

  QTableView* table() const { return table_; }
  QStandardItemModel* model() const { return model_; }
  QLabel* titleLabel() const { return title_; }

 private:
  QLabel* title_;
  QTableView* table_;
  QStandardItemModel* model_;
};

}  // namespace pl::ui
