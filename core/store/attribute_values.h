#pragma once
// Per-product values of one field for many products at once: what the map
// is coloured by (category levels, brand, price, any attribute column).

#include <cstdint>
#include <string>
#include <vector>

#include "store/sqlite_db.h"

namespace pl {

/// A field every product may have a value of.
struct ProductField {
  enum class Kind { CategoryLevel, Brand, Price, Attribute };
  Kind kind = Kind::Brand;
  /// CategoryLevel: 1 is the first part of "A > B > C"; 0 is the whole path
  /// (a label of its own: eval --label category).
  int level = 0;
  std::string name;  ///< Attribute: the column name
  /// What a person reads: "Category level 1", "Brand", "Price", the column name.
  std::string label() const;
};

/// The fields of the project's products: a level per part of the deepest
/// category path, brand and price when any product has one, then every
/// attribute column (in column order, each name once).
std::vector<ProductField> listProductFields(Database& db);

/// The value of `field` for each of `rowIds` (same order; "" when the
/// product has none or does not exist). One scan of the products table.
std::vector<std::string> loadFieldValues(Database& db, const ProductField& field,
                                         const std::vector<int64_t>& rowIds);

/// Part `level` (1-based) of a category path "A > B > C"; "" past its end;
/// the whole path for level 0.
std::string categoryLevel(const std::string& path, int level);

}  // namespace pl
