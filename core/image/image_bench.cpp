#include "image/image_bench.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "image/product_images.h"

namespace pl {

namespace {

// Best of `repeats` passes: the machine's other work only ever slows a pass.
template <typename Pass>
double bestRate(int repeats, int64_t pictures, Pass pass) {
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    pass(r);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, pictures / std::max(seconds, 1e-9));
  }
  return best;
}

}  // namespace

Result<ImageBenchResult> benchImagePipeline(Database& db, const ImageBenchOptions& o) {
  const std::vector<int64_t> ids = picturedProductIds(db, o.count);
  if (ids.empty()) return Error{"the project has no product pictures to time"};
  std::vector<int32_t> items(ids.size());
  for (size_t i = 0; i < items.size(); ++i) items[i] = static_cast<int32_t>(i);
  const int64_t n = static_cast<int64_t>(items.size());
  std::vector<float> out(items.size() * static_cast<size_t>(o.shape.channels * o.shape.size * o.shape.size));
  std::vector<uint8_t> present(items.size());

  ImageBenchResult r;
  r.pictures = n;
  r.threads = o.threads;
  auto uncached = ProductImages::load(db, ids, o.shape, 0);
  r.decodeFitPerSecond = bestRate(o.repeats, n, [&](int) {
    uncached->fill(items, nullptr, 0, out.data(), present.data(), o.threads);
  });
  r.coldViewsPerSecond = bestRate(o.repeats, n, [&](int pass) {
    uncached->fill(items, &o.augment, static_cast<uint64_t>(pass), out.data(), present.data(), o.threads);
  });
  auto cached = ProductImages::load(db, ids, o.shape, size_t{1} << 31);
  cached->fill(items, nullptr, 0, out.data(), present.data(), o.threads);  // fills the cache
  r.cachedViewsPerSecond = bestRate(o.repeats, n, [&](int pass) {
    cached->fill(items, &o.augment, static_cast<uint64_t>(pass), out.data(), present.data(), o.threads);
  });
  r.broken = uncached->counters().broken;
  return r;
}

}  // namespace pl
