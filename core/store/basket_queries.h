#pragma once
// Reads of the project's baskets for recommending one product at a time:
// indexed SQL (basket_items_by_product), so a query costs the baskets of
// that product, not the whole basket table.

#include <cstdint>
#include <utility>
#include <vector>

#include "store/sqlite_db.h"

namespace pl {

/// Products sharing a basket with products.id `product`, with the number of
/// baskets shared, most first (ties: the more often bought, then the lower id).
std::vector<std::pair<int64_t, int64_t>> boughtTogether(Database& db, int64_t product);

/// The `limit` products in the most baskets, with their basket counts (ties by id).
std::vector<std::pair<int64_t, int64_t>> mostBought(Database& db, int limit);

}  // namespace pl
