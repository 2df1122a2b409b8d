#include "ui/explore/thumbnail_cache.h"

#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <exception>

#include "store/product_queries.h"
#include "store/project.h"
#include "ui/image_convert.h"

namespace pl::ui {

ThumbnailCache::ThumbnailCache(int box, int capacity, QObject* parent)
    : QObject(parent), box_(box), capacity_(static_cast<size_t>(std::max(capacity, 1))) {
  connect(&watcher_, &QFutureWatcher<Batch>::finished, this, &ThumbnailCache::onLoaded);
}

ThumbnailCache::~ThumbnailCache() { watcher_.waitForFinished(); }

void ThumbnailCache::setProjectPath(const QString& path) {
  path_ = path;
  entries_.clear();
  recent_.clear();
  missing_.clear();
  queue_.clear();
  queued_.clear();
}

QPixmap ThumbnailCache::find(int64_t rowId) {
  auto it = entries_.find(rowId);
  if (it == entries_.end()) return {};
  recent_.splice(recent_.begin(), recent_, it->second.position);
  return it->second.pixmap;
}

void ThumbnailCache::request(const std::vector<int64_t>& rowIds) {
  for (int64_t id : rowIds) {
    if (entries_.count(id) || missing_.count(id) || queued_.count(id)) continue;
    queue_.push_back(id);
    queued_.insert(id);
  }
  startNext();
}

void ThumbnailCache::startNext() {
  if (watcher_.isRunning() || queue_.empty() || path_.isEmpty()) return;
  Batch batch;
  batch.path = path_;
  // Newest requests first: the mouse has moved on from the older ones.
  const size_t take = std::min<size_t>(queue_.size(), 16);
  batch.rowIds.assign(queue_.end() - take, queue_.end());
  std::reverse(batch.rowIds.begin(), batch.rowIds.end());
  queue_.resize(queue_.size() - take);
  const int box = box_;
  watcher_.setFuture(QtConcurrent::run([batch = std::move(batch), box]() mutable {
    batch.images.resize(batch.rowIds.size());
    try {
      auto project = pl::Project::open(batch.path.toStdString(), pl::OpenMode::ReadOnly);
      if (!project) return batch;
      for (size_t i = 0; i < batch.rowIds.size(); ++i) {
        auto detail = pl::loadProductDetail((*project)->db(), batch.rowIds[i]);
        if (!detail) continue;
        QImage image = matToQImage(pl::loadProductImage((*project)->db(), *detail));
        // Scaled here, off the GUI thread; tiny images are enlarged crisply later.
        if (image.width() > box || image.height() > box) {
          image = image.scaled(box, box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        }
        batch.images[i] = image;
      }
    } catch (const std::exception&) {
      // A read failure leaves the rest without pictures; never fatal.
    }
    return batch;
  }));
}

void ThumbnailCache::onLoaded() {
  Batch batch = watcher_.result();
  const bool current = batch.path == path_;
  for (size_t i = 0; i < batch.rowIds.size(); ++i) {
    const int64_t id = batch.rowIds[i];
    queued_.erase(id);
    if (!current) continue;
    if (batch.images[i].isNull()) missing_.insert(id);
    else insert(id, productPixmap(batch.images[i], box_));
    emit ready(id);
  }
  startNext();
}

void ThumbnailCache::insert(int64_t rowId, const QPixmap& pixmap) {
  auto it = entries_.find(rowId);
  if (it != entries_.end()) {
    recent_.erase(it->second.position);
    entries_.erase(it);
  }
  recent_.push_front(rowId);
  entries_.emplace(rowId, Entry{pixmap, recent_.begin()});
  while (entries_.size() > capacity_) {
    entries_.erase(recent_.back());
    recent_.pop_back();
  }
}

}  // namespace pl::ui
