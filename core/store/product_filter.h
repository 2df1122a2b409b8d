#pragma once
// Products chosen by a condition on one field ("title contains shirt",
// "brand = Acme", "articleType = Tshirts"): a labelled subset for fine-tuning
// that a person describes in words instead of picking by hand.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/sqlite_db.h"

namespace pl {

/// A condition on one field. Text comparisons ignore ASCII case.
struct ProductFilter {
  enum class Op { Contains, Equals, StartsWith };
  /// "title", "description", "id" (the catalog's), "brand", "category" (the
  /// whole path), "category:N" (one level), a catalog column the import put
  /// into the category path ("articleType"), or an attribute column.
  std::string field;
  Op op = Op::Contains;
  std::string value;

  /// "title contains shirt", "brand = Acme", "category:2 starts with Top".
  std::string describe() const;
};

/// Parses "FIELD contains TEXT", "FIELD = TEXT" or "FIELD starts with TEXT"
/// (the first operator found; the field and text are trimmed).
Result<ProductFilter> parseProductFilter(const std::string& text);

/// The products.id of every product that matches, ascending. An unknown
/// field or an empty value is an error that names what is available.
Result<std::vector<int64_t>> findProductsMatching(Database& db, const ProductFilter& filter);

}  // namespace pl
