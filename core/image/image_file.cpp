#include "image/image_file.h"

#include <sys/stat.h>

#include <opencv2/imgcodecs.hpp>
#include <vector>

namespace pl {

std::string resolveImagePath(const std::string& imagesRoot, const std::string& image) {
  if (image.empty()) return {};
  if (image[0] == '/' || image.find("://") != std::string::npos) return image;
  if (imagesRoot.empty()) return image;
  return imagesRoot.back() == '/' ? imagesRoot + image : imagesRoot + "/" + image;
}

ImageStatus checkImageFile(const std::string& resolvedPath) {
  if (resolvedPath.empty()) return ImageStatus::None;
  if (resolvedPath.find("://") != std::string::npos) return ImageStatus::Remote;
  struct stat st {};
  if (::stat(resolvedPath.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ImageStatus::Missing;
  try {
    return cv::haveImageReader(resolvedPath) ? ImageStatus::Found : ImageStatus::Undecodable;
  } catch (const cv::Exception&) {
    return ImageStatus::Undecodable;
  }
}

cv::Mat readImageFile(const std::string& path) {
  try {
    return cv::imread(path, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};
  }
}

cv::Mat decodeStoredImage(const std::string& format, int width, int height, const uint8_t* data,
                          size_t size) {
  if (format == "gray8") {
    if (width <= 0 || height <= 0 || size != static_cast<size_t>(width) * height) return {};
    return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t*>(data)).clone();
  }
  try {
    std::vector<uint8_t> buf(data, data + size);
    return cv::imdecode(buf, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};
  }
}

}  // namespace pl
