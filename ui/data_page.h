#pragma once
// The Data page: project summary, search box, the product table and the
// detail panel of the selected product.

#include <QWidget>
#include <cstdint>
#include <vector>

class QLabel;
class QLineEdit;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace pl {
class Project;
struct ProjectInfo;
}

namespace pl::ui {

class PredictionsBar;
class ProductDetailPanel;
class ProductSearch;
class ProductTableModel;
class ProjectSummaryBar;

/// Browses the products of the open project.
class DataPage : public QWidget {
  Q_OBJECT

 public:
  explicit DataPage(QWidget* parent = nullptr);

  /// Shows `project` (owned by the caller, used on the GUI thread only);
  /// null shows the "no project" hint.
  void setProject(pl::Project* project);
  /// Re-reads everything, e.g. after an import wrote to the project.
  void reload();
  void focusSearch();
  /// Replaces the page with a message while no project is shown (e.g.
  /// while the demo project is being built).
  void showPlaceholder(const QString& html);

  /// Re-reads which runs have predictions (shows `run`'s when given).
  void reloadPredictions(const QString& run = QString());
  PredictionsBar* predictionsBar() const { return predictions_; }

  void saveState(QSettings& settings) const;
  void restoreState(const QSettings& settings);

  QTableView* table() const { return table_; }
  ProductTableModel* model() const { return model_; }
  ProductDetailPanel* detailPanel() const { return detail_; }
  ProductSearch* search() const { return search_; }
  QLineEdit* searchBox() const { return searchBox_; }
  ProjectSummaryBar* summary() const { return summary_; }

 signals:
  /// Products in the whole project (not just the current search).
  void productCountChanged(qint64 count);
  /// A search finished and the table shows its rows.
  void rowsShown(int rows);
  /// The rows selected in the table changed (products.id, any order).
  void productsSelected(const std::vector<int64_t>& rowIds);

 private:
  void onResults(const QString& text, const std::vector<int64_t>& rowIds);
  void onCurrentRowChanged();
  void updateCountLabel();
  void hideEmptyColumns(const pl::ProjectInfo& info);

  pl::Project* project_ = nullptr;
  qint64 total_ = -1;
  QStackedWidget* stack_;
  QLabel* placeholder_;
  ProjectSummaryBar* summary_;
  QLineEdit* searchBox_;
  QLabel* countLabel_;
  QSplitter* splitter_;
  QTableView* table_;
  ProductTableModel* model_;
  ProductSearch* search_;
  ProductDetailPanel* detail_;
  PredictionsBar* predictions_;
};

}  // namespace pl::ui
