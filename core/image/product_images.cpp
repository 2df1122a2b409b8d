#include "image/product_images.h"

#include <algorithm>
#include <random>

#include "image/image_file.h"
#include "image/image_transforms.h"
#include "projection/parallel_for.h"

namespace pl {

namespace {

// One generator per picture, from (seed, position): views do not depend on
// which thread drew them.
std::mt19937_64 viewGenerator(uint64_t seed, size_t position) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (position + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return std::mt19937_64(z ^ (z >> 31));
}

}  // namespace

namespace {
// The one definition of "has a picture": import found the file (status 1),
// or the project stores its pixels (the demo).
constexpr const char* kPictured =
    " FROM products p WHERE p.image_status = 1 OR EXISTS "
    "(SELECT 1 FROM product_images i WHERE i.product_id = p.id)";
}  // namespace

std::vector<int64_t> picturedProductIds(Database& db, int64_t limit) {
  auto st = db.prepare(std::string("SELECT p.id") + kPictured + " ORDER BY p.id" + (limit > 0 ? " LIMIT ?" : ""));
  if (limit > 0) st.bind(1, limit);
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

int64_t countPicturedProducts(Database& db) { return db.scalar(std::string("SELECT count(*)") + kPictured); }

std::shared_ptr<ProductImages> ProductImages::load(Database& db, const std::vector<int64_t>& rowIds,
                                                   const ImageShape& shape, size_t cacheBytes) {
  auto images = std::shared_ptr<ProductImages>(new ProductImages());
  images->shape_ = shape;
  images->cacheBytes_ = cacheBytes;
  images->refs_.resize(rowIds.size());
  images->broken_ = std::make_unique<std::atomic<uint8_t>[]>(rowIds.size());
  std::unordered_map<int64_t, size_t> indexOf;
  for (size_t i = 0; i < rowIds.size(); ++i) indexOf.emplace(rowIds[i], i);
  // Import already marked missing and undecodable files; only found ones
  // are tried. A few products (previews) are looked up one by one; many
  // (a run) in one pass over the tables.
  const bool few = rowIds.size() <= 256;
  const std::string byId = few ? " AND p.id = ?" : "";
  auto files = db.prepare(
      "SELECT p.id, p.image, coalesce(c.images_root, '') FROM products p JOIN catalogs c ON "
      "c.id = p.catalog_id WHERE p.image <> '' AND p.image_status = 1" + byId);
  auto stored = db.prepare("SELECT product_id, format, width, height, data FROM product_images" +
                           std::string(few ? " WHERE product_id = ?" : ""));
  auto readFiles = [&] {
    while (files.step()) {
      auto it = indexOf.find(files.int64(0));
      if (it != indexOf.end()) images->refs_[it->second].path = resolveImagePath(files.text(2), files.text(1));
    }
  };
  auto readStored = [&] {
    while (stored.step()) {
      auto it = indexOf.find(stored.int64(0));
      if (it == indexOf.end()) continue;
      Ref& ref = images->refs_[it->second];
      ref.path.clear();
      ref.format = stored.text(1);
      ref.width = static_cast<int>(stored.int64(2));
      ref.height = static_cast<int>(stored.int64(3));
      ref.stored = std::make_shared<std::vector<uint8_t>>(stored.blob(4));
    }
  };
  if (few) {
    for (int64_t id : rowIds) {
      files.reset();
      files.bind(1, id);
      readFiles();
      stored.reset();
      stored.bind(1, id);
      readStored();
    }
  } else {
    readFiles();
    readStored();
  }
  for (const auto& ref : images->refs_) images->withImages_ += (!ref.path.empty() || ref.stored) ? 1 : 0;
  return images;
}

bool ProductImages::hasImage(size_t index) const {
  const Ref& ref = refs_[index];
  return (!ref.path.empty() || ref.stored) && broken_[index].load(std::memory_order_relaxed) == 0;
}

cv::Mat ProductImages::decode(size_t index) const {
  const Ref& ref = refs_[index];
  if (ref.stored) return decodeStoredImage(ref.format, ref.width, ref.height, ref.stored->data(), ref.stored->size());
  if (!ref.path.empty()) return readImageFile(ref.path);
  return {};
}

cv::Mat ProductImages::cached(size_t index) {
  std::lock_guard<std::mutex> lock(cacheMutex_);
  auto it = cache_.find(index);
  if (it == cache_.end()) return {};
  lru_.splice(lru_.begin(), lru_, it->second.second);
  return it->second.first;
}

void ProductImages::remember(size_t index, const cv::Mat& fitted) {
  const size_t bytes = fitted.total() * fitted.elemSize();
  if (bytes > cacheBytes_) return;
  std::lock_guard<std::mutex> lock(cacheMutex_);
  if (cache_.count(index)) return;
  while (cacheUsed_ + bytes > cacheBytes_ && !lru_.empty()) {
    auto old = cache_.find(lru_.back());
    cacheUsed_ -= old->second.first.total() * old->second.first.elemSize();
    cache_.erase(old);
    lru_.pop_back();
  }
  lru_.push_front(index);
  cache_.emplace(index, std::make_pair(fitted, lru_.begin()));
  cacheUsed_ += bytes;
}

cv::Mat ProductImages::fitted(size_t index) {
  if (index >= refs_.size() || !hasImage(index)) return {};
  if (cv::Mat hit = cached(index); !hit.empty()) {
    cacheHits_.fetch_add(1, std::memory_order_relaxed);
    return hit;
  }
  cv::Mat result = fitImage(decode(index), shape_);
  if (result.empty()) {
    if (broken_[index].exchange(1) == 0) brokenCount_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  decoded_.fetch_add(1, std::memory_order_relaxed);
  remember(index, result);
  return result;
}

void ProductImages::fill(const std::vector<int32_t>& items, const ImageAugment* augment, uint64_t seed,
                         float* out, uint8_t* present, int threads) {
  const int64_t floats = pictureFloats();
  const int64_t count = static_cast<int64_t>(items.size());
  auto work = [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      cv::Mat picture = fitted(static_cast<size_t>(items[i]));
      float* target = out + i * floats;
      present[i] = picture.empty() ? 0 : 1;
      if (picture.empty()) {
        std::fill(target, target + floats, 0.0f);
        continue;
      }
      if (augment) {
        auto rng = viewGenerator(seed, static_cast<size_t>(i));
        picture = augmentImage(picture, shape_, *augment, rng);
      }
      writeNormalised(picture, target);
    }
  };
  parallelFor(count, threads, [&](int64_t begin, int64_t end, int) { work(begin, end); });
}

ImageCounters ProductImages::counters() const {
  return {decoded_.load(), cacheHits_.load(), brokenCount_.load()};
}

void ProductImages::resetCounters() {
  decoded_ = 0;
  cacheHits_ = 0;
}

}  // namespace pl
