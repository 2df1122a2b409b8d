#pragma once
// k-nearest-neighbour label prediction: how an embedding is judged without
// training anything on top of it (leave-one-out 10-NN accuracy).

#include <cstdint>
#include <vector>

namespace pl {

/// The label most of the neighbours carry; among tied labels, the one whose
/// neighbours are more similar in sum (then the smaller label). Labels < 0
/// (unlabelled neighbours) do not vote. -1 when no neighbour votes.
int32_t voteLabel(const std::vector<int32_t>& neighbourLabels, const std::vector<float>& similarities);

}  // namespace pl
