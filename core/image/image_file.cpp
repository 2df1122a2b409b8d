#include "image/image_file.h"

#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <vector>

namespace pl {

std::string resolveImagePath(const std::string& imagesRoot, const std::string& image) {
  if (image.empty()) return {};
  if (image[0] == '/' || image.find("://") != std::string::npos) return image;
  if (imagesRoot.empty()) return image;
  return imagesRoot.back() == '/' ? imagesRoot + image : imagesRoot + "/" + image;
}

bool isPictureFormat(const uint8_t* data, size_t size) {
  auto starts = [&](const char* magic, size_t n, size_t at = 0) {
    return size >= at + n && std::memcmp(data + at, magic, n) == 0;
  };
  return starts("\xFF\xD8\xFF", 3) ||                          // JPEG
         starts("\x89PNG\r\n\x1A\n", 8) ||                    // PNG
         (starts("RIFF", 4) && starts("WEBP", 4, 8)) ||        // WebP
         starts("BM", 2) ||                                    // BMP
         starts("II*\0", 4) || starts("MM\0*", 4) ||           // TIFF
         (size >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6');  // PBM/PGM/PPM
}

ImageStatus checkImageFile(const std::string& resolvedPath) {
  if (resolvedPath.empty()) return ImageStatus::None;
  if (resolvedPath.find("://") != std::string::npos) return ImageStatus::Remote;
  struct stat st {};
  if (::stat(resolvedPath.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ImageStatus::Missing;
  uint8_t head[16] = {};
  std::ifstream in(resolvedPath, std::ios::binary);
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (!isPictureFormat(head, static_cast<size_t>(in.gcount()))) return ImageStatus::Undecodable;
  try {
    return cv::haveImageReader(resolvedPath) ? ImageStatus::Found : ImageStatus::Undecodable;
  } catch (const cv::Exception&) {
    return ImageStatus::Undecodable;
  }
}

cv::Mat readImageFile(const std::string& path) {
  // Read once and decoded from memory: the bytes checked are the bytes
  // decoded, even if the file changes meanwhile.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const std::streamoff size = in.tellg();
  if (size <= 0 || size > kMaxPictureFileBytes) return {};
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) return {};
  return decodeStoredImage("file", 0, 0, bytes.data(), bytes.size());
}

cv::Mat decodeStoredImage(const std::string& format, int width, int height, const uint8_t* data,
                          size_t size) {
  if (format == "gray8") {
    if (width <= 0 || height <= 0 || size != static_cast<size_t>(width) * height) return {};
    return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t*>(data)).clone();
  }
  if (!isPictureFormat(data, size)) return {};
  try {
    std::vector<uint8_t> buf(data, data + size);
    return cv::imdecode(buf, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};
  }
}

}  // namespace pl
