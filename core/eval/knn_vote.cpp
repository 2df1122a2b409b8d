#include "eval/knn_vote.h"

#include <cstddef>
#include <map>

namespace pl {

int32_t voteLabel(const std::vector<int32_t>& neighbourLabels, const std::vector<float>& similarities) {
  struct Tally {
    int votes = 0;
    double similarity = 0;
  };
  std::map<int32_t, Tally> tallies;  // k is small: an ordered map keeps ties deterministic
  for (size_t i = 0; i < neighbourLabels.size(); ++i) {
    if (neighbourLabels[i] < 0) continue;
    Tally& t = tallies[neighbourLabels[i]];
    ++t.votes;
    if (i < similarities.size()) t.similarity += similarities[i];
  }
  int32_t best = -1;
  Tally bestTally;
  for (const auto& [label, tally] : tallies) {
    bool better = tally.votes > bestTally.votes ||
                  (tally.votes == bestTally.votes && tally.similarity > bestTally.similarity);
    if (best < 0 || better) {
      best = label;
      bestTally = tally;
    }
  }
  return best;
}

}  // namespace pl
