#include "eval/basket_split.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace pl {

bool BasketSplit::heldOut(int64_t basketId) const {
  return std::binary_search(testBaskets.begin(), testBaskets.end(), basketId);
}

std::optional<BasketSplit> loadBasketSplit(Database& db) {
  auto st = db.prepare("SELECT seed, test_fraction, labelled, test_ids FROM label_splits WHERE label = ?");
  st.bind(1, kBasketSplitLabel);
  if (!st.step()) return std::nullopt;
  BasketSplit split;
  split.seed = static_cast<uint64_t>(st.int64(0));
  split.testFraction = st.real(1);
  split.eligible = st.int64(2);
  auto blob = st.blob(3);
  split.testBaskets.resize(blob.size() / sizeof(int64_t));
  std::memcpy(split.testBaskets.data(), blob.data(), split.testBaskets.size() * sizeof(int64_t));
  std::sort(split.testBaskets.begin(), split.testBaskets.end());
  return split;
}

BasketSplit ensureBasketSplit(Database& db, double testFraction, uint64_t seed) {
  if (auto stored = loadBasketSplit(db)) return *stored;
  BasketSplit split;
  split.seed = seed;
  split.testFraction = std::clamp(testFraction, 0.0, 1.0);
  std::vector<int64_t> eligible;
  auto st = db.prepare(
      "SELECT basket_id FROM basket_items GROUP BY basket_id HAVING count(*) >= 2 ORDER BY basket_id");
  while (st.step()) eligible.push_back(st.int64(0));
  split.eligible = static_cast<int64_t>(eligible.size());
  if (eligible.size() < 2) return split;  // nothing to hold out without leaving nothing to train on
  auto take = static_cast<size_t>(std::llround(split.testFraction * static_cast<double>(eligible.size())));
  take = std::clamp<size_t>(take, 1, eligible.size() - 1);
  std::mt19937_64 rng(seed * 1000003ULL + 0xba5);
  std::shuffle(eligible.begin(), eligible.end(), rng);
  split.testBaskets.assign(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(take));
  std::sort(split.testBaskets.begin(), split.testBaskets.end());
  if (db.readOnly()) return split;  // the same seed and baskets draw the same split next time
  // OR IGNORE: another connection may have drawn it meanwhile; theirs wins.
  db.prepare(
        "INSERT OR IGNORE INTO label_splits(label, seed, test_fraction, labelled, test_ids) "
        "VALUES (?,?,?,?,?)")
      .bind(1, kBasketSplitLabel)
      .bind(2, static_cast<int64_t>(seed))
      .bind(3, split.testFraction)
      .bind(4, split.eligible)
      .bindBlob(5, split.testBaskets.data(), split.testBaskets.size() * sizeof(int64_t))
      .run();
  return *loadBasketSplit(db);
}

std::vector<Basket> loadBaskets(Database& db, const BasketSplit& split, BasketSet which, size_t minProducts) {
  std::vector<Basket> baskets;
  auto keep = [&](const Basket& b) {
    if (b.products.empty() || b.products.size() < minProducts) return false;
    if (which == BasketSet::All) return true;
    return split.heldOut(b.id) == (which == BasketSet::HeldOut);
  };
  Basket current;
  current.id = -1;
  auto st = db.prepare("SELECT basket_id, product_id FROM basket_items ORDER BY basket_id, product_id");
  while (st.step()) {
    int64_t basket = st.int64(0);
    if (basket != current.id) {
      if (keep(current)) baskets.push_back(std::move(current));
      current = Basket{basket, {}};
    }
    int64_t product = st.int64(1);
    if (current.products.empty() || current.products.back() != product) current.products.push_back(product);
  }
  if (keep(current)) baskets.push_back(std::move(current));
  return baskets;
}

}  // namespace pl
