#pragma once
// Product thumbnails for the hover card and the neighbours panel: decoded on
// a pool thread (a catalog photo takes milliseconds to decode, ten of them a
// visible stall), kept in a small least-recently-used cache.

#include <QFutureWatcher>
#include <QObject>
#include <QPixmap>
#include <QString>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace pl::ui {

/// Asynchronous, size-bounded cache of product pictures fitted in a square.
class ThumbnailCache : public QObject {
  Q_OBJECT

 public:
  ThumbnailCache(int box, int capacity, QObject* parent = nullptr);
  ~ThumbnailCache() override;

  /// The project the pictures come from; clears the cache.
  void setProjectPath(const QString& path);
  int box() const { return box_; }

  /// The cached thumbnail, or a null pixmap (then request() it).
  QPixmap find(int64_t rowId);
  /// Queues loading the ones not cached yet; ready() reports each.
  void request(const std::vector<int64_t>& rowIds);
  /// True once the product was looked at and has no picture.
  bool hasNoPicture(int64_t rowId) const { return missing_.count(rowId) > 0; }

 signals:
  /// `rowId`'s thumbnail is cached now (null pixmap: the product has none).
  void ready(qint64 rowId);

 private:
  struct Batch {
    QString path;
    std::vector<int64_t> rowIds;
    std::vector<QImage> images;
  };
  void startNext();
  void onLoaded();
  void insert(int64_t rowId, const QPixmap& pixmap);

  int box_;
  size_t capacity_;
  QString path_;
  std::list<int64_t> recent_;  ///< front: most recently used
  struct Entry {
    QPixmap pixmap;
    std::list<int64_t>::iterator position;
  };
  std::unordered_map<int64_t, Entry> entries_;
  std::unordered_set<int64_t> missing_;
  std::vector<int64_t> queue_;
  std::unordered_set<int64_t> queued_;
  QFutureWatcher<Batch> watcher_;
};

}  // namespace pl::ui
