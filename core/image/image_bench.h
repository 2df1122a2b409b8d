#pragma once
// `bench images`: throughput of the picture pipeline on a project's own
// pictures, in the three regimes a run meets: the first epoch (decode, fit
// and augment), later epochs (augment fitted pictures from the cache), and
// embedding (decode and fit, no augmentation).

#include <cstdint>

#include "common/result.h"
#include "image/image_options.h"
#include "store/sqlite_db.h"

namespace pl {

struct ImageBenchOptions {
  ImageShape shape;
  ImageAugment augment;
  int64_t count = 2000;  ///< pictures timed (the project's first ones)
  int threads = 2;
  int repeats = 3;       ///< passes per regime; the best one counts
};

struct ImageBenchResult {
  int64_t pictures = 0;
  int threads = 0;
  double decodeFitPerSecond = 0;      ///< embedding: decode + fit
  double coldViewsPerSecond = 0;      ///< first epoch: decode + fit + augment
  double cachedViewsPerSecond = 0;    ///< later epochs: augment from the cache
  int64_t broken = 0;                 ///< pictures that could not be read
};

/// Times the pipeline on the first `count` products that have a picture.
Result<ImageBenchResult> benchImagePipeline(Database& db, const ImageBenchOptions& options);

}  // namespace pl
