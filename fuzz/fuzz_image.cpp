// Product pictures on arbitrary bytes, the way training and previews read
// them: decoded (a picture file through OpenCV's codecs, an encoded blob or
// raw grey pixels stored in the project), fitted to the encoder's square,
// turned into a random view and into normalised floats. Nothing may crash,
// and whatever decodes must come out at exactly the encoder's shape.
//
// Input: byte 0 picks the source (file, blob or raw pixels) and the view's
// seed; byte 1 the encoder shape (size 4..66, grey or colour, pad or crop);
// raw pixels take their width from byte 2; the rest is the picture.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "image/image_file.h"
#include "image/image_transforms.h"

namespace {

std::string prefixed(uint8_t source, uint8_t shape, const std::vector<uint8_t>& body) {
  return std::string{static_cast<char>(source), static_cast<char>(shape)} +
         std::string(body.begin(), body.end());
}

// Small pictures in the formats catalogs carry (and a stored grey one).
void writeSeeds() {
  cv::Mat colour(12, 20, CV_8UC3), grey(9, 7, CV_8UC1), deep(5, 6, CV_16UC3), alpha(6, 6, CV_8UC4);
  cv::randu(colour, 0, 255);
  cv::randu(grey, 0, 255);
  cv::randu(deep, 0, 65535);
  cv::randu(alpha, 0, 255);
  struct Seed { const char* name; const cv::Mat* image; const char* ext; uint8_t source; };
  const Seed seeds[] = {
      {"colour.png", &colour, ".png", 0}, {"grey.png", &grey, ".png", 1},
      {"deep.png", &deep, ".png", 0},     {"alpha.png", &alpha, ".png", 1},
      {"colour.jpg", &colour, ".jpg", 0}, {"grey.jpg", &grey, ".jpg", 1},
      {"colour.bmp", &colour, ".bmp", 0}, {"colour.webp", &colour, ".webp", 1},
      {"colour.tiff", &colour, ".tiff", 0}, {"grey.pgm", &grey, ".pgm", 1},
  };
  for (const auto& s : seeds) {
    std::vector<uint8_t> bytes;
    try {
      if (!cv::imencode(s.ext, *s.image, bytes)) continue;
    } catch (const cv::Exception&) {
      continue;  // a codec this OpenCV was built without
    }
    pl::fuzz::writeSeed(s.name, prefixed(s.source, 0x20 | 28, bytes));
    pl::fuzz::writeSeed(std::string("crop-") + s.name, prefixed(s.source, 0x40 | 16, bytes));
  }
  std::vector<uint8_t> raw(grey.datastart, grey.dataend);
  raw.insert(raw.begin(), static_cast<uint8_t>(grey.cols));
  pl::fuzz::writeSeed("stored.gray8", prefixed(2, 0x20 | 14, raw));
}

void check(const cv::Mat& image, const pl::ImageShape& shape) {
  if (image.rows != shape.size || image.cols != shape.size || image.channels() != shape.channels ||
      image.depth() != CV_8U) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The codecs log every refused input; a run would print millions of lines.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  if (!pl::fuzz::seedFolder()) return 0;
  writeSeeds();
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  pl::ImageShape shape;
  shape.size = 4 + (data[1] & 31) * 2;
  shape.channels = (data[1] & 32) ? 1 : 3;
  shape.pad = (data[1] & 64) == 0;
  cv::Mat decoded;
  switch (data[0] % 3) {
    case 0: {  // a picture file under the images root
      const std::string path = pl::fuzz::scratchDir() + "/picture";
      pl::fuzz::writeBytes(path, data + 2, size - 2);
      if (pl::checkImageFile(path) == pl::ImageStatus::Found) decoded = pl::readImageFile(path);
      unlink(path.c_str());
      break;
    }
    case 1:  // an encoded picture stored in the project
      decoded = pl::decodeStoredImage("png", 0, 0, data + 2, size - 2);
      break;
    default: {  // raw grey pixels stored in the project (the demo's)
      const int width = data[2];
      const int height = width > 0 ? static_cast<int>((size - 3) / width) : 0;
      decoded = pl::decodeStoredImage("gray8", width, height, data + 3, static_cast<size_t>(width) * height);
    }
  }
  cv::Mat fitted = pl::fitImage(decoded, shape);
  if (decoded.empty() != fitted.empty()) __builtin_trap();
  if (fitted.empty()) return 0;
  check(fitted, shape);
  std::mt19937_64 rng(data[0]);
  cv::Mat view = pl::augmentImage(fitted, shape, pl::ImageAugment{}, rng);
  check(view, shape);
  std::vector<float> floats(static_cast<size_t>(shape.channels) * shape.size * shape.size);
  pl::writeNormalised(view, floats.data());
  for (float f : floats) {
    if (!(f >= -1.0f && f <= 1.0f)) __builtin_trap();
  }
  return 0;
}
