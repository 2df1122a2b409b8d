#pragma once
#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace pl {

/// What the import found at a product's image path (stored per product).
enum class ImageStatus : int { None = 0, Found = 1, Missing = 2, Undecodable = 3, Remote = 4 };

/// Resolves a catalog's image reference against the images root; absolute
/// paths and URLs are returned unchanged.
std::string resolveImagePath(const std::string& imagesRoot, const std::string& image);

/// Cheap check used during import: the file exists and its header is one
/// OpenCV can decode. Full decoding happens when the image is used.
ImageStatus checkImageFile(const std::string& resolvedPath);

/// Decodes an image file (any OpenCV format, colour or grey) to 8-bit BGR or
/// grey. Returns an empty Mat when the file is missing or undecodable.
cv::Mat readImageFile(const std::string& path);

/// Decodes an image stored in the project (format "gray8" raw pixels, or an
/// encoded "png"/"jpeg" blob).
cv::Mat decodeStoredImage(const std::string& format, int width, int height, const uint8_t* data,
                          size_t size);

}  // namespace pl
