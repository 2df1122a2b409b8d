#pragma once
// The results table of the Fine-tune page: every stored evaluation result
// (eval/eval_results.h) side by side, a row per subject, method, label and
// fraction, a column per metric; cells stay empty where a metric does not
// apply (no macro-F1 for a k-NN score, no accuracy for baskets).

#include <QAbstractTableModel>
#include <vector>

#include "eval/eval_results.h"

namespace pl::ui {

/// Table model over stored evaluation results.
class EvalResultsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The scores come right after what was scored: a narrow table shows them first.
  enum Column {
    Subject, Method, Fraction, Accuracy, MacroF1, KnnAccuracy, PrecisionAt10, RecallAt10,
    NdcgAt10, Label, TrainItems, TestItems, ColumnCount
  };
  /// Role giving a cell's number (or the fraction) for sorting; null when empty.
  static constexpr int SortRole = Qt::UserRole + 1;

  explicit EvalResultsModel(QObject* parent = nullptr);

  void setResults(std::vector<pl::EvalResult> results);
  const std::vector<pl::EvalResult>& results() const { return results_; }
  const pl::EvalResult* resultAt(int row) const;
  /// Row of (subject, method, label, fraction), or -1.
  int rowOf(const std::string& subject, const std::string& method, const std::string& label,
            double fraction) const;
  /// The metric a column shows ("accuracy", ...), or "" for the others.
  static const char* metricOf(int column);
  /// "Fine-tune (full)" for "finetune-full", and so on.
  static QString methodText(const std::string& method);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<pl::EvalResult> results_;
};

}  // namespace pl::ui
