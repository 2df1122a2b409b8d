#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "store/sqlite_db.h"

namespace pl {

/// The columns the product table shows.
struct ProductRow {
  int64_t rowId = 0;  ///< products.id
  std::string id;     ///< the catalog's own id
  std::string title;
  std::string brand;
  std::string category;
  std::optional<double> price;
  bool hasImage = false;
};

/// Everything the detail panel shows.
struct ProductDetail {
  ProductRow row;
  std::string description;
  std::string catalogName;
  std::string image;         ///< as written in the catalog
  std::string resolvedImage; ///< path after the images root
  int imageStatus = 0;       ///< ImageStatus
  std::vector<std::pair<std::string, std::string>> attributes;  ///< in column order
};

/// Product row ids matching `filter` (case-insensitive substring of title,
/// id, brand or category; empty: all), in catalog order. A million ids are
/// 8 MB, which lets a table page through any result by position.
std::vector<int64_t> findProductRowIds(Database& db, const std::string& filter);

/// Loads the table columns for the given row ids (same order; a missing id
/// yields a row with rowId 0).
std::vector<ProductRow> loadProductRows(Database& db, const std::vector<int64_t>& rowIds);

/// Every product's products.id and catalog id, in products.id order.
std::vector<std::pair<int64_t, std::string>> listProductIds(Database& db);

/// Loads one product for the detail panel.
std::optional<ProductDetail> loadProductDetail(Database& db, int64_t rowId);

/// The product's image: the copy stored in the project if any, else the
/// file. Empty when there is none or it cannot be decoded.
cv::Mat loadProductImage(Database& db, const ProductDetail& detail);

}  // namespace pl
