#pragma once
// The products a person picked last, in the Data page's table or on the
// Explore map: one holder the window owns, so the Fine-tune page can train
// on a hand-picked set without knowing where it was picked.

#include <QObject>
#include <QString>
#include <cstdint>
#include <vector>

namespace pl::ui {

/// The latest selection of products (products.id, ascending) and where it was made.
class ProductSelection : public QObject {
  Q_OBJECT

 public:
  explicit ProductSelection(QObject* parent = nullptr);

  /// Replaces the selection; `source` says where, e.g. "the Data page table".
  /// Emits changed() only when the products or the source differ.
  void set(const QString& source, std::vector<int64_t> rowIds);
  void clear();

  const std::vector<int64_t>& rowIds() const { return rowIds_; }
  const QString& source() const { return source_; }
  size_t size() const { return rowIds_.size(); }

 signals:
  void changed();

 private:
  QString source_;
  std::vector<int64_t> rowIds_;
};

}  // namespace pl::ui
