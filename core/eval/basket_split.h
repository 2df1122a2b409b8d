#pragma once
// The fixed held-out baskets that co-purchase retrieval is scored on
// (eval/basket_eval.h). Drawn once, seeded, and stored in the project, so
// every run and baseline is scored on the same baskets, and nothing that
// learns from baskets (pretraining's copurchase objective, the retrieval
// fine-tune) ever trains on them: a model that had seen a held-out basket's
// pairs would find its co-purchases by memory, not by what it learned.
//
// Stored as a row of `label_splits` under the reserved label "@baskets"
// (test_ids holds basket ids instead of product ids): no schema change, and
// no label field can be named "@baskets" (label names are category:N, brand
// or catalog columns, which never start with '@').

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "store/sqlite_db.h"

namespace pl {

/// The label_splits key of the basket split.
inline constexpr const char* kBasketSplitLabel = "@baskets";
/// The label_splits key of the cold products (test_ids holds product ids).
inline constexpr const char* kColdProductsLabel = "@cold-products";
/// The share of the purchased products held out as cold products.
inline constexpr double kColdProductFraction = 0.05;

/// Which baskets are held out for evaluation.
struct BasketSplit {
  uint64_t seed = 0;
  double testFraction = 0;
  int64_t eligible = 0;              ///< baskets with >= 2 products when it was drawn
  std::vector<int64_t> testBaskets;  ///< sorted baskets.id
  /// Cold products (sorted products.id): a seeded 5 % of the products in
  /// any basket, taken out of every training basket, so nothing that learns
  /// from baskets sees them bought; their held-out baskets score what
  /// carries a product without purchase history (its text and attributes).
  std::vector<int64_t> coldProducts;

  bool heldOut(int64_t basketId) const;
  bool isCold(int64_t product) const;
};

/// The stored split, if one was drawn.
std::optional<BasketSplit> loadBasketSplit(Database& db);

/// The stored split; on first use it is drawn from the baskets with at least
/// two products (round(testFraction x count) of them, at least one, never
/// all; shuffled with `seed`) and stored; the cold products likewise
/// (round(5 % of the purchased products), seeded; a project whose basket
/// split was stored before cold products existed draws them on first use). Later calls return the stored one
/// whatever they ask for. Baskets imported after the draw are training
/// baskets. A project without such baskets gets an empty split, not stored
/// (a later basket import draws it then).
BasketSplit ensureBasketSplit(Database& db, double testFraction = 0.1, uint64_t seed = 1);

/// One basket: its distinct products (products.id, ascending).
struct Basket {
  int64_t id = 0;
  std::vector<int64_t> products;
};

/// Which baskets loadBaskets returns.
enum class BasketSet { Training, HeldOut, All };

/// The baskets of the chosen set that have at least `minProducts` distinct
/// products (two: what pairs and queries need; one: every basket, as
/// popularity counts them), ordered by id. Training = every basket that is
/// not held out, without its cold products; HeldOut and All keep them.
std::vector<Basket> loadBaskets(Database& db, const BasketSplit& split, BasketSet which, size_t minProducts = 2);

}  // namespace pl
