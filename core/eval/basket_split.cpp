#include "eval/basket_split.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace pl {

bool BasketSplit::heldOut(int64_t basketId) const {
  return std::binary_search(testBaskets.begin(), testBaskets.end(), basketId);
}

bool BasketSplit::isCold(int64_t product) const {
  return std::binary_search(coldProducts.begin(), coldProducts.end(), product);
}

namespace {

std::vector<int64_t> idsOf(const std::vector<uint8_t>& blob) {
  std::vector<int64_t> ids(blob.size() / sizeof(int64_t));
  std::memcpy(ids.data(), blob.data(), ids.size() * sizeof(int64_t));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// A seeded sample of `ids` (at least two): round(fraction x count) of them,
// at least one and never all, sorted.
std::vector<int64_t> drawSample(std::vector<int64_t> ids, double fraction, uint64_t rngSeed) {
  auto take = static_cast<size_t>(std::llround(fraction * static_cast<double>(ids.size())));
  take = std::clamp<size_t>(take, 1, ids.size() - 1);
  std::mt19937_64 rng(rngSeed);
  std::shuffle(ids.begin(), ids.end(), rng);
  ids.resize(take);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Stores a drawn split as a label_splits row. OR IGNORE: another connection
// may have drawn it meanwhile; theirs wins (callers read the row back).
void storeIdSplit(Database& db, const char* label, uint64_t seed, double fraction, int64_t labelled,
                  const std::vector<int64_t>& ids) {
  db.prepare(
        "INSERT OR IGNORE INTO label_splits(label, seed, test_fraction, labelled, test_ids) "
        "VALUES (?,?,?,?,?)")
      .bind(1, label)
      .bind(2, static_cast<int64_t>(seed))
      .bind(3, fraction)
      .bind(4, labelled)
      .bindBlob(5, ids.data(), ids.size() * sizeof(int64_t))
      .run();
}

std::optional<std::vector<int64_t>> loadColdProducts(Database& db) {
  auto st = db.prepare("SELECT test_ids FROM label_splits WHERE label = ?");
  st.bind(1, kColdProductsLabel);
  if (!st.step()) return std::nullopt;
  return idsOf(st.blob(0));
}

// The cold products: a seeded share of the products in any basket.
std::vector<int64_t> ensureColdProducts(Database& db, uint64_t seed) {
  if (auto stored = loadColdProducts(db)) return *stored;
  std::vector<int64_t> bought;
  auto st = db.prepare("SELECT DISTINCT product_id FROM basket_items ORDER BY product_id");
  while (st.step()) bought.push_back(st.int64(0));
  if (bought.size() < 2) return {};
  const std::vector<int64_t> cold = drawSample(std::move(bought), kColdProductFraction, seed * 1000033ULL + 0xc01d);
  if (db.readOnly()) return cold;  // the same seed and products draw the same set next time
  storeIdSplit(db, kColdProductsLabel, seed, kColdProductFraction, static_cast<int64_t>(cold.size()), cold);
  return *loadColdProducts(db);
}

}  // namespace

std::optional<BasketSplit> loadBasketSplit(Database& db) {
  auto st = db.prepare("SELECT seed, test_fraction, labelled, test_ids FROM label_splits WHERE label = ?");
  st.bind(1, kBasketSplitLabel);
  if (!st.step()) return std::nullopt;
  BasketSplit split;
  split.seed = static_cast<uint64_t>(st.int64(0));
  split.testFraction = st.real(1);
  split.eligible = st.int64(2);
  split.testBaskets = idsOf(st.blob(3));
  if (auto cold = loadColdProducts(db)) split.coldProducts = std::move(*cold);
  return split;
}

BasketSplit ensureBasketSplit(Database& db, double testFraction, uint64_t seed) {
  if (auto stored = loadBasketSplit(db)) {
    if (stored->coldProducts.empty() && !stored->testBaskets.empty()) {
      stored->coldProducts = ensureColdProducts(db, stored->seed);
    }
    return *stored;
  }
  BasketSplit split;
  split.seed = seed;
  split.testFraction = std::clamp(testFraction, 0.0, 1.0);
  std::vector<int64_t> eligible;
  auto st = db.prepare(
      "SELECT basket_id FROM basket_items GROUP BY basket_id HAVING count(*) >= 2 ORDER BY basket_id");
  while (st.step()) eligible.push_back(st.int64(0));
  split.eligible = static_cast<int64_t>(eligible.size());
  if (eligible.size() < 2) return split;  // nothing to hold out without leaving nothing to train on
  split.testBaskets = drawSample(std::move(eligible), split.testFraction, seed * 1000003ULL + 0xba5);
  split.coldProducts = ensureColdProducts(db, seed);
  if (db.readOnly()) return split;  // the same seed and baskets draw the same split next time
  storeIdSplit(db, kBasketSplitLabel, seed, split.testFraction, split.eligible, split.testBaskets);
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
    if (which == BasketSet::Training && split.isCold(product)) continue;  // never seen bought in training
    if (current.products.empty() || current.products.back() != product) current.products.push_back(product);
  }
  if (keep(current)) baskets.push_back(std::move(current));
  return baskets;
}

}  // namespace pl
