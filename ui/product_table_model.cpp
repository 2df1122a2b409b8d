#include "ui/product_table_model.h"

#include <QLocale>
#include <algorithm>
#include <exception>

#include "store/sqlite_db.h"

namespace pl::ui {

ProductTableModel::ProductTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProductTableModel::setRows(pl::Database* db, std::vector<int64_t> rowIds) {
  beginResetModel();
  db_ = db;
  rowIds_ = db ? std::move(rowIds) : std::vector<int64_t>{};
  cache_.clear();
  lru_.clear();
  endResetModel();
}

void ProductTableModel::invalidateCache() {
  cache_.clear();
  lru_.clear();
  if (!rowIds_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ProductTableModel::setPredictions(const QString& labelName,
                                       const std::vector<pl::ProductPrediction>& predictions) {
  predictionLabel_ = labelName;
  predictedClasses_.clear();
  predicted_.clear();
  if (!labelName.isEmpty()) {
    std::unordered_map<std::string, int32_t> classOf;
    predicted_.reserve(predictions.size());
    for (const pl::ProductPrediction& p : predictions) {
      auto [it, added] = classOf.emplace(p.label, static_cast<int32_t>(predictedClasses_.size()));
      if (added) predictedClasses_.push_back(QString::fromStdString(p.label));
      predicted_[p.productId] = {it->second, p.confidence};
    }
  }
  emit headerDataChanged(Qt::Horizontal, PredictionColumn, PredictionColumn);
  if (!rowIds_.empty()) {
    emit dataChanged(index(0, PredictionColumn), index(rowCount() - 1, PredictionColumn));
  }
}

int64_t ProductTableModel::rowIdAt(int row) const {
  if (row < 0 || row >= rowCount()) return 0;
  return rowIds_[static_cast<size_t>(row)];
}

int ProductTableModel::rowOf(int64_t rowId) const {
  // Ids come back in catalog (ascending) order from findProductRowIds.
  auto it = std::lower_bound(rowIds_.begin(), rowIds_.end(), rowId);
  if (it == rowIds_.end() || *it != rowId) return -1;
  return static_cast<int>(it - rowIds_.begin());
}

int ProductTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rowIds_.size());
}

int ProductTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

const ProductTableModel::Page& ProductTableModel::page(int pageIndex) const {
  auto it = cache_.find(pageIndex);
  if (it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lruPos);
    return it->second;
  }
  size_t first = static_cast<size_t>(pageIndex) * kPageSize;
  size_t last = std::min(rowIds_.size(), first + kPageSize);
  Page fresh;
  try {
    fresh.rows = pl::loadProductRows(
        *db_, std::vector<int64_t>(rowIds_.begin() + static_cast<std::ptrdiff_t>(first),
                                   rowIds_.begin() + static_cast<std::ptrdiff_t>(last)));
  } catch (const std::exception&) {
    // A busy or damaged file shows empty cells rather than crashing the
    // view; the page is retried when it scrolls back in.
    fresh.rows.assign(last - first, pl::ProductRow{});
  }
  ++pageLoads_;
  if (static_cast<int>(cache_.size()) >= kCachedPages) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(pageIndex);
  fresh.lruPos = lru_.begin();
  return cache_.emplace(pageIndex, std::move(fresh)).first->second;
}

const pl::ProductRow* ProductTableModel::rowAt(int row) const {
  if (!db_ || row < 0 || row >= rowCount()) return nullptr;
  const Page& p = page(row / kPageSize);
  const pl::ProductRow& r = p.rows[static_cast<size_t>(row % kPageSize)];
  return r.rowId ? &r : nullptr;
}

QVariant ProductTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (role == RowIdRole) return QVariant::fromValue<qint64>(rowIdAt(index.row()));
  if (role == Qt::TextAlignmentRole) {
    if (index.column() == PriceColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
    if (index.column() == ImageColumn) return int(Qt::AlignCenter);
    return {};
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  if (index.column() == PredictionColumn) {
    // From memory: no page load for a column the store does not hold.
    auto it = predicted_.find(rowIdAt(index.row()));
    if (it == predicted_.end()) return {};
    return QStringLiteral("%1 (%2)")
        .arg(predictedClasses_[static_cast<size_t>(it->second.label)])
        .arg(QString::number(it->second.confidence, 'f', 2));
  }
  const pl::ProductRow* r = rowAt(index.row());
  if (!r) return {};
  switch (index.column()) {
    case IdColumn: return QString::fromStdString(r->id);
    case TitleColumn: return QString::fromStdString(r->title);
    case BrandColumn: return QString::fromStdString(r->brand);
    case CategoryColumn: return QString::fromStdString(r->category);
    case PriceColumn:
      return r->price ? QLocale().toString(*r->price, 'f', 2) : QVariant();
    case ImageColumn: return r->hasImage ? tr("yes") : tr("no");
    default: return {};
  }
}

QVariant ProductTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case IdColumn: return tr("ID");
    case TitleColumn: return tr("Title");
    case BrandColumn: return tr("Brand");
    case CategoryColumn: return tr("Category");
    case PriceColumn: return tr("Price");
    case ImageColumn: return tr("Image");
    case PredictionColumn:
      return predictionLabel_.isEmpty() ? tr("Predicted") : tr("Predicted %1").arg(predictionLabel_);
    default: return {};
  }
}

}  // namespace pl::ui
