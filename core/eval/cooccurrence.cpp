#include "eval/cooccurrence.h"

#include <algorithm>

namespace pl {

CooccurrenceCounts::CooccurrenceCounts(const std::vector<Basket>& baskets) {
  baskets_.reserve(baskets.size());
  for (const Basket& b : baskets) {
    const auto index = static_cast<int32_t>(baskets_.size());
    baskets_.push_back(b.products);  // distinct already (loadBaskets)
    for (int64_t p : b.products) basketsOf_[p].push_back(index);
  }
  byPopularity_.reserve(basketsOf_.size());
  for (const auto& [product, in] : basketsOf_) byPopularity_.push_back(product);
  std::sort(byPopularity_.begin(), byPopularity_.end(), [this](int64_t a, int64_t b) {
    const int64_t na = basketsWith(a), nb = basketsWith(b);
    return na != nb ? na > nb : a < b;
  });
}

int64_t CooccurrenceCounts::basketsWith(int64_t product) const {
  auto it = basketsOf_.find(product);
  return it == basketsOf_.end() ? 0 : static_cast<int64_t>(it->second.size());
}

std::vector<std::pair<int64_t, int64_t>> CooccurrenceCounts::partners(int64_t product) const {
  std::unordered_map<int64_t, int64_t> shared;
  if (auto it = basketsOf_.find(product); it != basketsOf_.end()) {
    for (int32_t b : it->second) {
      for (int64_t other : baskets_[static_cast<size_t>(b)]) {
        if (other != product) ++shared[other];
      }
    }
  }
  std::vector<std::pair<int64_t, int64_t>> out(shared.begin(), shared.end());
  std::sort(out.begin(), out.end(), [this](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    const int64_t na = basketsWith(a.first), nb = basketsWith(b.first);
    return na != nb ? na > nb : a.first < b.first;
  });
  return out;
}

std::vector<int64_t> CooccurrenceCounts::recommend(int64_t product, int k) const {
  std::vector<int64_t> out;
  if (k <= 0) return out;
  for (const auto& [other, count] : partners(product)) {
    if (static_cast<int>(out.size()) == k) return out;
    out.push_back(other);
  }
  // Popularity fills: at most k + |listed| + 1 candidates need looking at.
  for (int64_t p : byPopularity_) {
    if (static_cast<int>(out.size()) == k) break;
    if (p != product && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

}  // namespace pl
