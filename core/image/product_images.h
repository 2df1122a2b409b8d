#pragma once
// The pictures of a run's products: where each one comes from (a file under
// its catalog's images root, or pixels stored in the project), decoded and
// fitted on demand by several threads, with a bounded cache of fitted
// pictures so later epochs do not decode again. A missing or undecodable
// picture is never fatal: the product counts as having none, and is counted.

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "image/image_options.h"
#include "store/sqlite_db.h"

namespace pl {

/// Counters of the decode pipeline since load (or the last resetCounters()).
struct ImageCounters {
  int64_t decoded = 0;    ///< pictures decoded and fitted
  int64_t cacheHits = 0;  ///< fitted pictures served from the cache
  int64_t broken = 0;     ///< distinct products whose picture is missing or undecodable
};

/// Products with a picture (a file import found, or pixels stored in the
/// project), by products.id, ascending; at most `limit` when it is positive.
std::vector<int64_t> picturedProductIds(Database& db, int64_t limit = 0);

/// How many products have a picture.
int64_t countPicturedProducts(Database& db);

class ProductImages {
 public:
  /// Reads the picture reference of each product of `rowIds` (in that order).
  /// `cacheBytes` bounds the fitted pictures kept (0: none).
  static std::shared_ptr<ProductImages> load(Database& db, const std::vector<int64_t>& rowIds,
                                             const ImageShape& shape, size_t cacheBytes = 512u << 20);

  size_t size() const { return refs_.size(); }
  const ImageShape& shape() const { return shape_; }
  /// True when the product has a picture reference not yet found broken.
  bool hasImage(size_t index) const;
  /// Products with a picture reference.
  size_t withImages() const { return withImages_; }

  /// The fitted picture (shape().size square, shape().channels); empty when
  /// the product has none or it cannot be read (then counted as broken).
  cv::Mat fitted(size_t index);

  /// Fills `out` (items.size() x channels x size x size floats in [-1, 1])
  /// and `present` (1 where the product's picture was read) on `threads`
  /// threads. With `augment`, each picture becomes a random view drawn from
  /// (seed, position in items), whatever the thread timing.
  void fill(const std::vector<int32_t>& items, const ImageAugment* augment, uint64_t seed, float* out,
            uint8_t* present, int threads);

  ImageCounters counters() const;
  void resetCounters();
  /// Floats per picture: channels x size x size.
  int64_t pictureFloats() const {
    return static_cast<int64_t>(shape_.channels) * shape_.size * shape_.size;
  }

 private:
  struct Ref {
    std::string path;                 ///< resolved file path, or empty
    std::shared_ptr<std::vector<uint8_t>> stored;  ///< stored pixels or encoded bytes
    std::string format;               ///< of `stored`: gray8, png, jpeg
    int width = 0, height = 0;
  };
  cv::Mat decode(size_t index) const;
  cv::Mat cached(size_t index);
  void remember(size_t index, const cv::Mat& fitted);

  ImageShape shape_;
  std::vector<Ref> refs_;
  size_t withImages_ = 0;
  std::unique_ptr<std::atomic<uint8_t>[]> broken_;  ///< per product: 1 once found broken

  mutable std::mutex cacheMutex_;
  size_t cacheBytes_ = 0, cacheUsed_ = 0;
  std::list<size_t> lru_;  ///< most recent first
  std::unordered_map<size_t, std::pair<cv::Mat, std::list<size_t>::iterator>> cache_;

  std::atomic<int64_t> decoded_{0}, cacheHits_{0}, brokenCount_{0};
};

}  // namespace pl
