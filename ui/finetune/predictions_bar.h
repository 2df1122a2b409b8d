#pragma once
// The Data page's predictions control: which fine-tuned run's predicted
// labels the product table shows (a "Predicted <label>" column with the
// confidence), and "Export predictions…" to CSV. Hidden while no run has
// predictions.

#include <QString>
#include <QWidget>

class QComboBox;
class QPushButton;
class QTableView;

namespace pl {
class Database;
}

namespace pl::ui {

class ProductTableModel;

/// Chooses the predictions shown in a product table and exports them.
class PredictionsBar : public QWidget {
  Q_OBJECT

 public:
  PredictionsBar(ProductTableModel* model, QTableView* table, QWidget* parent = nullptr);

  /// The project's connection (GUI thread), or null.
  void setDatabase(pl::Database* db);
  /// Re-reads which runs have predictions; shows `preferRun`'s when given.
  void reload(const QString& preferRun = QString());
  /// The run whose predictions are shown ("" for none).
  QString shownRun() const;
  bool showRun(const QString& runName);
  /// Writes the shown run's predictions as CSV (no dialog); false with `error` set on failure.
  bool exportTo(const QString& path, QString* error = nullptr);

  QComboBox* runCombo() const { return runs_; }
  QPushButton* exportButton() const { return export_; }

 private:
  void apply();
  void exportWithDialog();

  ProductTableModel* model_;
  QTableView* table_;
  pl::Database* db_ = nullptr;
  QComboBox* runs_;
  QPushButton* export_;
};

}  // namespace pl::ui
