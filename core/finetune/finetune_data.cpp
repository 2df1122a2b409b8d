#include "finetune/finetune_data.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <unordered_set>

namespace pl {

Result<FinetuneData> prepareFinetuneData(Database& db, const FinetuneOptions& options) {
  auto label = resolveLabelField(db, options.label);
  if (!label) return label.error();
  FinetuneData d{*label, loadLabelledItems(db, *label), {}, {}, {}, {}, 0, 1};
  if (d.items.classNames.size() < 2) {
    return Error{"label '" + options.label + "' has " + std::to_string(d.items.classNames.size()) +
                 " class(es) among the products; a classifier needs at least two"};
  }
  auto split = ensureLabelSplit(db, label->field.label(), d.items);
  if (!split) return split.error();
  d.split = std::move(*split);
  if (!options.subsetIds.empty()) {
    std::unordered_set<int64_t> picked(options.subsetIds.begin(), options.subsetIds.end());
    for (int64_t id : d.split.trainIds) {
      if (picked.count(id)) d.subset.push_back(id);
    }
    for (int64_t id : d.split.testIds) d.droppedTestItems += picked.count(id) ? 1 : 0;
    d.fraction = d.split.trainIds.empty()
                     ? 0
                     : static_cast<double>(d.subset.size()) / static_cast<double>(d.split.trainIds.size());
    if (d.subset.empty()) {
      return Error{"none of the " + std::to_string(picked.size()) + " chosen products has a '" +
                   options.label + "' label outside the test split" +
                   (d.droppedTestItems ? " (" + std::to_string(d.droppedTestItems) +
                                             " are test products, which are never trained on)"
                                       : "")};
    }
  } else {
    if (!(options.fraction > 0 && options.fraction <= 1)) {
      return Error{"the labelled fraction must be in (0, 1]"};
    }
    d.fraction = options.fraction;
    d.subset = labelledSubset(d.split.trainIds, d.items, options.fraction, options.subsetSeed);
    if (d.subset.empty()) return Error{"label '" + options.label + "' has no training products"};
  }
  // A seeded slice for early stopping; with fewer than 10 products there is
  // nothing to spare, and the last epoch's weights are kept.
  std::vector<int64_t> shuffled = d.subset;
  std::mt19937_64 rng(options.seed * 2654435761ULL + 5);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  size_t validation = 0;
  if (options.validationFraction > 0 && shuffled.size() >= 10) {
    validation = static_cast<size_t>(std::llround(options.validationFraction * shuffled.size()));
    validation = std::clamp<size_t>(validation, 1, shuffled.size() - 1);
  }
  d.validation.assign(shuffled.begin(), shuffled.begin() + static_cast<std::ptrdiff_t>(validation));
  d.training.assign(shuffled.begin() + static_cast<std::ptrdiff_t>(validation), shuffled.end());
  std::sort(d.validation.begin(), d.validation.end());
  std::sort(d.training.begin(), d.training.end());
  return d;
}

}  // namespace pl
