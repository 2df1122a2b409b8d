#include "eval/ranking_metrics.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace pl {

namespace {

// Relevant hits among the first k, each counted once even if ranked twice.
std::vector<bool> hitsAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant,
                          int k) {
  std::unordered_set<int64_t> wanted(relevant.begin(), relevant.end());
  size_t n = std::min(ranked.size(), static_cast<size_t>(std::max(k, 0)));
  std::vector<bool> hits(n, false);
  for (size_t i = 0; i < n; ++i) hits[i] = wanted.erase(ranked[i]) > 0;
  return hits;
}

size_t distinctCount(const std::vector<int64_t>& items) {
  return std::unordered_set<int64_t>(items.begin(), items.end()).size();
}

}  // namespace

double precisionAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant, int k) {
  if (k <= 0) return 0.0;
  auto hits = hitsAtK(ranked, relevant, k);
  return static_cast<double>(std::count(hits.begin(), hits.end(), true)) / k;
}

double recallAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant, int k) {
  size_t total = distinctCount(relevant);
  if (total == 0) return 0.0;
  auto hits = hitsAtK(ranked, relevant, k);
  return static_cast<double>(std::count(hits.begin(), hits.end(), true)) / static_cast<double>(total);
}

double ndcgAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant, int k) {
  size_t total = distinctCount(relevant);
  if (total == 0 || k <= 0) return 0.0;
  auto hits = hitsAtK(ranked, relevant, k);
  double dcg = 0, ideal = 0;
  for (size_t i = 0; i < hits.size(); ++i) {
    if (hits[i]) dcg += 1.0 / std::log2(static_cast<double>(i) + 2.0);
  }
  size_t idealHits = std::min(total, static_cast<size_t>(k));
  for (size_t i = 0; i < idealHits; ++i) ideal += 1.0 / std::log2(static_cast<double>(i) + 2.0);
  return dcg / ideal;
}

}  // namespace pl
