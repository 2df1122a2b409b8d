#include "finetune/copurchase_pairs.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

namespace pl {

CopurchasePairs splitCopurchasePairs(const std::vector<Basket>& trainingBaskets,
                                     const ProductCorpus& corpus, double validationFraction,
                                     uint64_t seed, size_t maxPairs) {
  std::unordered_map<int64_t, int32_t> indexOf;
  for (size_t i = 0; i < corpus.size(); ++i) indexOf[corpus.rowIds[i]] = static_cast<int32_t>(i);
  std::vector<size_t> order(trainingBaskets.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed * 104729ULL + 0xf17e);
  std::shuffle(order.begin(), order.end(), rng);
  size_t validation = 0;
  if (order.size() >= 2 && validationFraction > 0) {
    validation = static_cast<size_t>(std::llround(validationFraction * static_cast<double>(order.size())));
    validation = std::clamp<size_t>(validation, 1, order.size() - 1);
  }
  CopurchasePairs out;
  for (size_t n = 0; n < order.size(); ++n) {
    const bool isValidation = n < validation;
    auto& target = isValidation ? out.validation : out.train;
    if (!isValidation && out.train.size() >= maxPairs) break;
    std::vector<int32_t> items;
    for (int64_t p : trainingBaskets[order[n]].products) {
      auto it = indexOf.find(p);
      if (it != indexOf.end()) items.push_back(it->second);
    }
    if (items.size() < 2) continue;
    for (size_t i = 0; i < items.size(); ++i) {
      for (size_t j = i + 1; j < items.size(); ++j) target.emplace_back(items[i], items[j]);
    }
    ++(isValidation ? out.validationBaskets : out.trainBaskets);
    if (isValidation) out.validationSet.push_back(trainingBaskets[order[n]]);
  }
  return out;
}

std::vector<std::vector<size_t>> conflictFreeBatches(const std::vector<CopurchasePair>& pairs,
                                                     int batchSize, uint64_t seed, int epoch) {
  std::vector<size_t> order(pairs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(epoch) * 7919ULL + 0xc0b);
  std::shuffle(order.begin(), order.end(), rng);
  const auto size = static_cast<size_t>(std::max(batchSize, 2));
  std::vector<std::vector<size_t>> batches;
  std::vector<size_t> current;
  std::unordered_set<int32_t> used;
  std::deque<size_t> waiting;  // clashed with an earlier batch; first in line for the next
  auto fits = [&](size_t p) { return !used.count(pairs[p].first) && !used.count(pairs[p].second); };
  auto add = [&](size_t p) {
    current.push_back(p);
    used.insert(pairs[p].first);
    used.insert(pairs[p].second);
  };
  auto close = [&]() {
    if (current.size() >= 2) batches.push_back(current);
    current.clear();
    used.clear();
    // Waiting pairs get the first seats of the new batch (those that still clash keep waiting).
    std::deque<size_t> still;
    for (size_t p : waiting) {
      if (current.size() < size && fits(p)) {
        add(p);
      } else {
        still.push_back(p);
      }
    }
    waiting.swap(still);
  };
  for (size_t p : order) {
    if (fits(p)) {
      add(p);
    } else {
      waiting.push_back(p);
      // A short line keeps each close() cheap; the oldest waiting pair sits this epoch out.
      if (waiting.size() > 8 * size) waiting.pop_front();
    }
    if (current.size() == size) close();
  }
  if (current.size() >= 2) batches.push_back(current);
  return batches;
}

}  // namespace pl
