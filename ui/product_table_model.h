#pragma once
// The product table over a project of any size. It holds only the row ids of
// the current result (8 bytes a product) and reads the visible rows from
// SQLite a page at a time, keeping a few pages in an LRU cache: data() never
// queries per cell, and scrolling to the middle of a million rows reads one
// or two pages.

#include <QAbstractTableModel>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "eval/eval_results.h"
#include "store/product_queries.h"

namespace pl {
class Database;
}

namespace pl::ui {

/// Table model of products: id, title, brand, category, price, image, and a
/// fine-tuned run's predicted label with its confidence (empty without one).
class ProductTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { IdColumn, TitleColumn, BrandColumn, CategoryColumn, PriceColumn, ImageColumn,
                PredictionColumn, ColumnCount };
  /// Role that returns the product's row id (products.id) as qint64.
  static constexpr int RowIdRole = Qt::UserRole + 1;
  static constexpr int kPageSize = 256;
  static constexpr int kCachedPages = 32;

  explicit ProductTableModel(QObject* parent = nullptr);

  /// Shows `rowIds` (in order) read from `db`; `db` must outlive the model
  /// or the next call. A null db empties the table.
  void setRows(pl::Database* db, std::vector<int64_t> rowIds);
  /// Drops cached pages, e.g. after the project changed under the view.
  void invalidateCache();
  /// Shows `predictions` (of a run predicting `labelName`) in PredictionColumn
  /// as "Tshirts (0.93)"; an empty label name clears the column.
  void setPredictions(const QString& labelName, const std::vector<pl::ProductPrediction>& predictions);
  bool hasPredictions() const { return !predictionLabel_.isEmpty(); }
  const QString& predictionLabel() const { return predictionLabel_; }

  int64_t rowIdAt(int row) const;
  /// Position of a row id in the current result, or -1.
  int rowOf(int64_t rowId) const;
  /// Queries run so far (one per page); tests use it to prove paging.
  int pageLoads() const { return pageLoads_; }
  int cachedPages() const { return static_cast<int>(cache_.size()); }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Page {
    std::vector<pl::ProductRow> rows;
    std::list<int>::iterator lruPos;
  };
  const pl::ProductRow* rowAt(int row) const;
  const Page& page(int pageIndex) const;

  pl::Database* db_ = nullptr;
  std::vector<int64_t> rowIds_;
  // Cache state changes inside const data(); it is not observable state.
  mutable std::unordered_map<int, Page> cache_;
  mutable std::list<int> lru_;  ///< most recently used first
  mutable int pageLoads_ = 0;
  QString predictionLabel_;
  std::vector<QString> predictedClasses_;  ///< each class name once
  struct Predicted {
    int32_t label;
    float confidence;
  };
  std::unordered_map<int64_t, Predicted> predicted_;
};

}  // namespace pl::ui
