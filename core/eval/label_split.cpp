#include "eval/label_split.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>

namespace pl {

namespace {

// Products of each class among `ids` (ids must be labelled).
std::map<int32_t, std::vector<int64_t>> byClass(const std::vector<int64_t>& ids, const LabelledItems& items) {
  std::map<int64_t, int32_t> labelOf;
  for (size_t i = 0; i < items.rowIds.size(); ++i) labelOf.emplace(items.rowIds[i], items.labels[i]);
  std::map<int32_t, std::vector<int64_t>> groups;
  for (int64_t id : ids) {
    auto it = labelOf.find(id);
    if (it != labelOf.end()) groups[it->second].push_back(id);
  }
  return groups;
}

// Each class shuffled by its own stream, so adding a class elsewhere does not
// change which products another class puts aside.
std::vector<int64_t> stratifiedPick(const std::map<int32_t, std::vector<int64_t>>& groups, double fraction,
                                    uint64_t seed, bool atLeastOne, bool keepOneBack) {
  std::vector<int64_t> picked;
  for (const auto& [label, members] : groups) {
    std::vector<int64_t> shuffled = members;
    std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(label));
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto take = static_cast<size_t>(std::llround(fraction * static_cast<double>(members.size())));
    if (atLeastOne) take = std::max<size_t>(take, 1);
    if (keepOneBack) take = members.size() < 2 ? 0 : std::min(take, members.size() - 1);
    take = std::min(take, members.size());
    picked.insert(picked.end(), shuffled.begin(), shuffled.begin() + static_cast<std::ptrdiff_t>(take));
  }
  std::sort(picked.begin(), picked.end());
  return picked;
}

}  // namespace

Result<LabelSplit> ensureLabelSplit(Database& db, const std::string& label, const LabelledItems& items,
                                    double testFraction, uint64_t seed) {
  if (!(testFraction > 0 && testFraction < 1)) return Error{"the test fraction must be between 0 and 1"};
  LabelSplit split;
  split.label = label;
  auto st = db.prepare("SELECT seed, test_fraction, test_ids FROM label_splits WHERE label = ?");
  st.bind(1, label);
  if (st.step()) {
    split.seed = static_cast<uint64_t>(st.int64(0));
    split.testFraction = st.real(1);
    auto blob = st.blob(2);
    split.testIds.resize(blob.size() / sizeof(int64_t));
    std::memcpy(split.testIds.data(), blob.data(), split.testIds.size() * sizeof(int64_t));
  } else {
    split.seed = seed;
    split.testFraction = testFraction;
    std::vector<int64_t> all = items.rowIds;
    split.testIds = stratifiedPick(byClass(all, items), testFraction, seed, /*atLeastOne=*/false,
                                   /*keepOneBack=*/true);
    db.prepare("INSERT INTO label_splits(label, seed, test_fraction, labelled, test_ids) VALUES (?,?,?,?,?)")
        .bind(1, label)
        .bind(2, static_cast<int64_t>(seed))
        .bind(3, testFraction)
        .bind(4, static_cast<int64_t>(items.rowIds.size()))
        .bindBlob(5, split.testIds.data(), split.testIds.size() * sizeof(int64_t))
        .run();
  }
  for (int64_t id : items.rowIds) {
    if (!std::binary_search(split.testIds.begin(), split.testIds.end(), id)) split.trainIds.push_back(id);
  }
  std::sort(split.trainIds.begin(), split.trainIds.end());
  return split;
}

void storeCatalogLabelSplit(Database& db, const std::string& label, std::vector<int64_t> testIds,
                            int64_t labelled) {
  std::sort(testIds.begin(), testIds.end());
  const double share = labelled > 0 ? static_cast<double>(testIds.size()) / labelled : 0;
  db.prepare("INSERT OR IGNORE INTO label_splits(label, seed, test_fraction, labelled, test_ids) "
             "VALUES (?, 0, ?, ?, ?)")
      .bind(1, label)
      .bind(2, share)
      .bind(3, labelled)
      .bindBlob(4, testIds.data(), testIds.size() * sizeof(int64_t))
      .run();
}

std::vector<int64_t> labelledSubset(const std::vector<int64_t>& trainIds, const LabelledItems& items,
                                    double fraction, uint64_t seed) {
  if (fraction >= 1) {
    std::vector<int64_t> all = trainIds;
    std::sort(all.begin(), all.end());
    return all;
  }
  return stratifiedPick(byClass(trainIds, items), fraction, seed + 17, /*atLeastOne=*/true,
                        /*keepOneBack=*/false);
}

}  // namespace pl
