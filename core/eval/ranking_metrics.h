#pragma once
// Retrieval scores of one ranked list against the items that should have been
// found (held-out co-purchases, same-label products).

#include <cstdint>
#include <vector>

namespace pl {

/// Share of the first k ranked items that are relevant (k counts even when
/// the list is shorter, as the usual definition does).
double precisionAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant, int k);
/// Share of the relevant items found in the first k (0 when none is relevant).
double recallAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant, int k);
/// Binary-relevance NDCG@k: DCG of the list over the DCG of an ideal list
/// (all relevant items first); 0 when none is relevant.
double ndcgAtK(const std::vector<int64_t>& ranked, const std::vector<int64_t>& relevant, int k);

}  // namespace pl
