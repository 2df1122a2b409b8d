#include "store/basket_queries.h"

namespace pl {

std::vector<std::pair<int64_t, int64_t>> boughtTogether(Database& db, int64_t product) {
  auto st = db.prepare(
      "SELECT other.product_id, count(*) AS shared, "
      "  (SELECT count(*) FROM basket_items b WHERE b.product_id = other.product_id) AS bought "
      "FROM basket_items mine JOIN basket_items other ON other.basket_id = mine.basket_id "
      "WHERE mine.product_id = ?1 AND other.product_id != ?1 "
      "GROUP BY other.product_id ORDER BY shared DESC, bought DESC, other.product_id");
  st.bind(1, product);
  std::vector<std::pair<int64_t, int64_t>> out;
  while (st.step()) out.emplace_back(st.int64(0), st.int64(1));
  return out;
}

std::vector<std::pair<int64_t, int64_t>> mostBought(Database& db, int limit) {
  auto st = db.prepare(
      "SELECT product_id, count(*) AS bought FROM basket_items GROUP BY product_id "
      "ORDER BY bought DESC, product_id LIMIT ?");
  st.bind(1, static_cast<int64_t>(limit));
  std::vector<std::pair<int64_t, int64_t>> out;
  while (st.step()) out.emplace_back(st.int64(0), st.int64(1));
  return out;
}

}  // namespace pl
