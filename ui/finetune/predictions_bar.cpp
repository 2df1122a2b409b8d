#include "ui/finetune/predictions_bar.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <algorithm>
#include <exception>

#include "eval/eval_results.h"
#include "finetune/prediction_csv.h"
#include "store/run_store.h"
#include "ui/product_table_model.h"

namespace pl::ui {

PredictionsBar::PredictionsBar(ProductTableModel* model, QTableView* table, QWidget* parent)
    : QWidget(parent), model_(model), table_(table) {
  runs_ = new QComboBox;
  runs_->setObjectName(QStringLiteral("predictionsRun"));
  runs_->setToolTip(tr("The fine-tuned run whose predicted labels the table shows"));
  runs_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  export_ = new QPushButton(tr("Export predictions…"));
  export_->setToolTip(
      tr("Save the shown run's predictions as CSV: id, title, predicted label, "
         "confidence"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Predictions")));
  layout->addWidget(runs_);
  layout->addWidget(export_);
  connect(runs_, &QComboBox::currentIndexChanged, this, &PredictionsBar::apply);
  connect(export_, &QPushButton::clicked, this, &PredictionsBar::exportWithDialog);
  reload();
}

void PredictionsBar::setDatabase(pl::Database* db) {
  db_ = db;
  reload();
}

void PredictionsBar::reload(const QString& preferRun) {
  const QString keep = preferRun.isEmpty() ? shownRun() : preferRun;
  {
    QSignalBlocker block(runs_);
    runs_->clear();
    std::vector<std::pair<std::string, std::string>> runs;
    if (db_) {
      try {
        runs = pl::runsWithPredictions(*db_);
      } catch (const std::exception&) {
        runs.clear();  // an older file without the table: no predictions
      }
    }
    runs_->addItem(tr("(hidden)"), QString());
    for (const auto& [run, label] : runs) {
      runs_->addItem(tr("%1 — %2").arg(QString::fromStdString(run), QString::fromStdString(label)),
                     QString::fromStdString(run));
      runs_->setItemData(runs_->count() - 1, QString::fromStdString(label), Qt::UserRole + 1);
    }
    // Shown by default: predictions exist to be looked at.
    int index = keep.isEmpty() ? -1 : runs_->findData(keep);
    runs_->setCurrentIndex(index >= 0 ? index : runs_->count() - 1);
  }
  setVisible(runs_->count() > 1);
  apply();
}

QString PredictionsBar::shownRun() const { return runs_->currentData().toString(); }

bool PredictionsBar::showRun(const QString& runName) {
  const int index = runs_->findData(runName);
  if (index >= 0) runs_->setCurrentIndex(index);
  return index >= 0;
}

void PredictionsBar::apply() {
  const QString run = shownRun();
  std::vector<pl::ProductPrediction> predictions;
  QString label;
  if (db_ && !run.isEmpty()) {
    try {
      if (auto record = pl::findRun(*db_, run.toStdString())) {
        predictions = pl::loadPredictions(*db_, record->id);
        label = runs_->currentData(Qt::UserRole + 1).toString();
      }
    } catch (const std::exception&) {
      predictions.clear();
    }
  }
  model_->setPredictions(label, predictions);
  table_->setColumnHidden(ProductTableModel::PredictionColumn, label.isEmpty());
  if (!label.isEmpty()) {
    // Wide enough for the rows in view and the header, never so wide that
    // the title (the stretching column) is squeezed out.
    table_->resizeColumnToContents(ProductTableModel::PredictionColumn);
    const int width = table_->columnWidth(ProductTableModel::PredictionColumn);
    table_->setColumnWidth(ProductTableModel::PredictionColumn, std::clamp(width, 110, 200));
  }
  export_->setEnabled(!label.isEmpty());
}

bool PredictionsBar::exportTo(const QString& path, QString* error) {
  const QString run = shownRun();
  if (!db_ || run.isEmpty()) {
    if (error) *error = tr("Choose a run whose predictions to export.");
    return false;
  }
  try {
    auto record = pl::findRun(*db_, run.toStdString());
    if (!record) {
      if (error) *error = tr("The run %1 is no longer in the project.").arg(run);
      return false;
    }
    auto written = pl::exportPredictionsCsv(*db_, record->id, path.toStdString());
    if (!written && error) *error = QString::fromStdString(written.error().message);
    return written.ok();
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void PredictionsBar::exportWithDialog() {
  QString path = QFileDialog::getSaveFileName(this, tr("Export predictions"),
                                              QStringLiteral("predictions-%1.csv").arg(shownRun()),
                                              tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  if (!path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)) path += QStringLiteral(".csv");
  QApplication::setOverrideCursor(Qt::WaitCursor);
  QString error;
  const bool ok = exportTo(path, &error);
  QApplication::restoreOverrideCursor();
  if (!ok) QMessageBox::warning(this, tr("Export predictions"), error);
}

}  // namespace pl::ui
