#pragma once
// Scores of a classifier on labelled items: what the Fine-tune page's results
// table and `productlens-cli eval` report. Labels are dense class indices.

#include <cstdint>
#include <vector>

namespace pl {

/// Accuracy, macro-F1 and the confusion matrix of one prediction set.
struct ClassificationScores {
  int64_t items = 0;
  int classes = 0;
  double accuracy = 0;
  /// Mean F1 over the classes that occur in the truth or the predictions
  /// (scikit-learn's convention for labels=None): a class never seen and never
  /// predicted has no F1 and does not drag the mean down.
  double macroF1 = 0;
  /// confusion[truth][predicted], classes x classes.
  std::vector<std::vector<int64_t>> confusion;
};

/// Scores `predicted` against `truth` (same length, values in [0, classes)).
/// Entries outside the range are counted as wrong and left out of the matrix.
ClassificationScores scoreClassification(const std::vector<int32_t>& truth,
                                         const std::vector<int32_t>& predicted, int classes);

}  // namespace pl
