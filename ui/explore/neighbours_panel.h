#pragma once
// The list beside the map: the nearest products (in the full embedding
// space, not the 2D map) of the selected product or of a free-text query,
// with thumbnail, title, category and cosine similarity. Clicking one moves
// the selection to it.

#include <QWidget>
#include <cstdint>
#include <vector>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QSpinBox;

namespace pl::ui {

class ThumbnailCache;

/// One row of the list.
struct NeighbourEntry {
  int64_t rowId = 0;
  QString title;
  QString category;
  float similarity = 0;
};

/// Nearest products of one anchor (a product or a text).
class NeighboursPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kDefaultK = 10;
  static constexpr int kThumbnail = 56;

  explicit NeighboursPanel(ThumbnailCache* thumbnails, QWidget* parent = nullptr);

  int k() const;
  void setK(int k);
  /// Shows `entries` under a heading naming what they are near to.
  void showNeighbours(const QString& heading, const std::vector<NeighbourEntry>& entries);
  /// Shows a sentence instead of a list (nothing selected, no embeddings...).
  void showMessage(const QString& message);

  const std::vector<NeighbourEntry>& entries() const { return entries_; }
  QListWidget* list() const { return list_; }
  QLabel* heading() const { return heading_; }

 signals:
  void kChanged(int k);
  /// The user picked a row (click or Enter).
  void productActivated(qint64 rowId);

 private:
  void onThumbnailReady(qint64 rowId);

  ThumbnailCache* thumbnails_;
  QLabel* heading_;
  QSpinBox* kBox_;
  QListWidget* list_;
  std::vector<NeighbourEntry> entries_;
};

}  // namespace pl::ui
