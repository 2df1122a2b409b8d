#include "eval/classification_metrics.h"

#include <algorithm>

namespace pl {

ClassificationScores scoreClassification(const std::vector<int32_t>& truth,
                                         const std::vector<int32_t>& predicted, int classes) {
  ClassificationScores s;
  s.classes = classes;
  s.items = static_cast<int64_t>(std::min(truth.size(), predicted.size()));
  s.confusion.assign(static_cast<size_t>(classes), std::vector<int64_t>(static_cast<size_t>(classes), 0));
  int64_t correct = 0;
  for (int64_t i = 0; i < s.items; ++i) {
    int32_t t = truth[static_cast<size_t>(i)], p = predicted[static_cast<size_t>(i)];
    if (t < 0 || t >= classes || p < 0 || p >= classes) continue;
    ++s.confusion[static_cast<size_t>(t)][static_cast<size_t>(p)];
    if (t == p) ++correct;
  }
  s.accuracy = s.items > 0 ? static_cast<double>(correct) / static_cast<double>(s.items) : 0.0;

  double f1Sum = 0;
  int present = 0;
  for (int c = 0; c < classes; ++c) {
    int64_t tp = s.confusion[static_cast<size_t>(c)][static_cast<size_t>(c)];
    int64_t actual = 0, chosen = 0;
    for (int o = 0; o < classes; ++o) {
      actual += s.confusion[static_cast<size_t>(c)][static_cast<size_t>(o)];
      chosen += s.confusion[static_cast<size_t>(o)][static_cast<size_t>(c)];
    }
    if (actual == 0 && chosen == 0) continue;
    ++present;
    // F1 = 2TP / (2TP + FP + FN) = 2TP / (actual + chosen).
    f1Sum += 2.0 * static_cast<double>(tp) / static_cast<double>(actual + chosen);
  }
  s.macroF1 = present > 0 ? f1Sum / present : 0.0;
  return s;
}

}  // namespace pl
