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

/// Picture files larger than this are not read (a product photo is far
/// smaller; the bound keeps one file from taking the memory of a run).
constexpr int64_t kMaxPictureFileBytes = int64_t(256) << 20;

/// True when `data` starts like a JPEG, PNG, WebP, BMP, TIFF or PBM/PGM/PPM
/// file: the formats catalogs carry. OpenCV decodes more (JPEG 2000,
/// OpenEXR, Radiance HDR, Sun raster, PFM and, on Debian, NITF and DTED
/// through GDAL); each is one more parser of untrusted bytes that no product
/// photo needs, so those bytes never reach it.
bool isPictureFormat(const uint8_t* data, size_t size);

/// Cheap check used during import: the file exists, is one of the picture
/// formats and its header is one OpenCV can decode. Full decoding happens
/// when the image is used.
ImageStatus checkImageFile(const std::string& resolvedPath);

/// Decodes a picture file (one of the picture formats, colour or grey) to
/// 8-bit BGR. Returns an empty Mat when the file is missing, too large or
/// undecodable.
cv::Mat readImageFile(const std::string& path);

/// Decodes an image stored in the project (format "gray8" raw pixels, or an
/// encoded blob in one of the picture formats, whatever `format` says).
cv::Mat decodeStoredImage(const std::string& format, int width, int height, const uint8_t* data,
                          size_t size);

}  // namespace pl
