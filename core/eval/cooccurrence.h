#pragma once
// Item-item co-occurrence: "customers who bought this also bought", by
// counting. For a product, every product that shares a basket with it,
// ranked by the number of baskets they share; the products bought most
// often fill the list when the counts run out (a product seen in few
// baskets has few partners). The first thing any shop tries, and the
// baseline the project's recommendations are measured against
// (eval/basket_eval.h, subject "co-occurrence").

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "eval/basket_split.h"

namespace pl {

/// Co-occurrence counts over a set of baskets (the training baskets: the
/// held-out ones are the answers). Counted lazily per product from an
/// inverted index, so building is linear in the basket lines and memory
/// does not grow with the number of product pairs.
class CooccurrenceCounts {
 public:
  explicit CooccurrenceCounts(const std::vector<Basket>& baskets);

  /// Baskets that hold `product` (its popularity); 0 for an unseen product.
  int64_t basketsWith(int64_t product) const;

  /// Products sharing a basket with `product` and how many baskets each
  /// shares, most first (ties: the more popular, then the lower id).
  std::vector<std::pair<int64_t, int64_t>> partners(int64_t product) const;

  /// Up to `k` recommendations for `product`: its partners as ranked by
  /// partners(), then the most popular products not listed yet (ties by
  /// id); never `product` itself.
  std::vector<int64_t> recommend(int64_t product, int k) const;

  /// Every product seen, most popular first (ties by id).
  const std::vector<int64_t>& byPopularity() const { return byPopularity_; }

 private:
  std::vector<std::vector<int64_t>> baskets_;                    ///< products per basket
  std::unordered_map<int64_t, std::vector<int32_t>> basketsOf_;  ///< product -> basket indexes
  std::vector<int64_t> byPopularity_;
};

}  // namespace pl
