#include "ui/finetune/eval_results_model.h"

#include <QLocale>
#include <cmath>

namespace pl::ui {

namespace {

QString fractionText(double fraction) {
  return QLocale().toString(fraction * 100, 'g', 3) + QLatin1Char('%');
}

}  // namespace

EvalResultsModel::EvalResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalResultsModel::setResults(std::vector<pl::EvalResult> results) {
  beginResetModel();
  results_ = std::move(results);
  endResetModel();
}

const pl::EvalResult* EvalResultsModel::resultAt(int row) const {
  return row >= 0 && row < rowCount() ? &results_[static_cast<size_t>(row)] : nullptr;
}

int EvalResultsModel::rowOf(const std::string& subject, const std::string& method,
                            const std::string& label, double fraction) const {
  for (size_t i = 0; i < results_.size(); ++i) {
    const pl::EvalResult& r = results_[i];
    if (r.subject == subject && r.method == method && r.label == label &&
        std::abs(r.fraction - fraction) < 1e-6) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

const char* EvalResultsModel::metricOf(int column) {
  switch (column) {
    case Accuracy: return "accuracy";
    case MacroF1: return "macro_f1";
    case KnnAccuracy: return "knn_accuracy";
    case PrecisionAt10: return "precision_at_k";
    case RecallAt10: return "recall_at_10";
    case NdcgAt10: return "ndcg_at_10";
    default: return "";
  }
}

QString EvalResultsModel::methodText(const std::string& method) {
  if (method == "knn") return tr("10-NN (leave-one-out)");
  if (method == "probe") return tr("Linear probe");
  if (method == "finetune-probe") return tr("Fine-tune (probe)");
  if (method == "finetune-full") return tr("Fine-tune (full)");
  if (method == "scratch-full") return tr("No pretraining (full)");
  if (method == "baskets") return tr("Baskets (retrieval)");
  return QString::fromStdString(method);
}

int EvalResultsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(results_.size());
}

int EvalResultsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalResultsModel::data(const QModelIndex& index, int role) const {
  const pl::EvalResult* r = resultAt(index.row());
  if (!r) return {};
  const int column = index.column();
  const char* metric = metricOf(column);
  if (role == Qt::TextAlignmentRole) {
    const bool text = column == Subject || column == Method || column == Label;
    return text ? int(Qt::AlignLeft | Qt::AlignVCenter) : int(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == SortRole) {
    if (*metric) {
      auto it = r->metrics.find(metric);
      return it == r->metrics.end() ? QVariant() : QVariant(it->second);
    }
    switch (column) {
      case Fraction: return r->fraction;
      case TrainItems: return QVariant::fromValue<qint64>(r->trainItems);
      case TestItems: return QVariant::fromValue<qint64>(r->testItems);
      default: return data(index, Qt::DisplayRole);
    }
  }
  if (role == Qt::ToolTipRole) {
    return tr("%1 · %2 · label %3 · %4 of the training labels · %5 training, %6 test products · "
              "%7 s · %8")
        .arg(QString::fromStdString(r->subject), QString::fromStdString(r->method),
             QString::fromStdString(r->label), fractionText(r->fraction))
        .arg(QLocale().toString(static_cast<qlonglong>(r->trainItems)),
             QLocale().toString(static_cast<qlonglong>(r->testItems)),
             QString::number(r->seconds, 'f', 1), QString::fromStdString(r->createdAt));
  }
  if (role != Qt::DisplayRole) return {};
  if (*metric) {
    auto it = r->metrics.find(metric);
    return it == r->metrics.end() ? QVariant() : QVariant(QString::number(it->second, 'f', 4));
  }
  switch (column) {
    case Subject: return QString::fromStdString(r->subject);
    case Method: return methodText(r->method);
    case Label: return QString::fromStdString(r->label);
    case Fraction: return fractionText(r->fraction);
    case TrainItems:
      return r->trainItems ? QLocale().toString(static_cast<qlonglong>(r->trainItems)) : QVariant();
    case TestItems:
      return r->testItems ? QLocale().toString(static_cast<qlonglong>(r->testItems)) : QVariant();
    default: return {};
  }
}

QVariant EvalResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case Subject: return tr("The run or baseline that was scored");
      case Fraction: return tr("Share of the label's training split used for training");
      case Accuracy: return tr("Accuracy on the label's fixed test split");
      case MacroF1: return tr("Mean F1 over the classes (each class counts the same)");
      case KnnAccuracy: return tr("Leave-one-out 10-NN label accuracy of the embeddings");
      case PrecisionAt10: return tr("Share of the 10 nearest neighbours with the same label");
      case RecallAt10: return tr("Held-out co-purchased items found in the top 10");
      case NdcgAt10: return tr("Rank-weighted recall of held-out co-purchased items (top 10)");
      default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case Subject: return tr("Run / baseline");
    case Method: return tr("Method");
    case Label: return tr("Label");
    case Fraction: return tr("Labels");
    case Accuracy: return tr("Accuracy");
    case MacroF1: return tr("Macro-F1");
    case KnnAccuracy: return tr("10-NN acc.");
    case PrecisionAt10: return tr("P@10");
    case RecallAt10: return tr("R@10");
    case NdcgAt10: return tr("NDCG@10");
    case TrainItems: return tr("Train");
    case TestItems: return tr("Test");
    default: return {};
  }
}

}  // namespace pl::ui
