#pragma once
// The label-efficiency chart's data: test accuracy against the labelled
// fraction, one line per method, from the stored evaluation results.
// Qt-free, so it is tested like core code.

#include <cstdint>
#include <string>
#include <vector>

#include "eval/eval_results.h"

namespace pl::ui {

/// One point: a stored result at one labelled fraction.
struct EfficiencyPoint {
  double fraction = 0;
  double accuracy = 0;
  std::string subject;  ///< the run or baseline it came from
  int64_t trainItems = 0;
};

/// One method's line, points in increasing fraction.
struct EfficiencySeries {
  /// pretrained-probe, pretrained-full, scratch-full, tfidf-lr, lsa-lr.
  std::string key;
  std::string name;  ///< legend text
  std::vector<EfficiencyPoint> points;
};

/// True for the classical baselines' subjects ("tf-idf", "lsa-128").
bool isBaselineSubject(const std::string& subject);

/// The lines for `label` in a fixed order (pretrained + probe, pretrained +
/// full, scratch + full, TF-IDF + logistic regression, then LSA + logistic
/// regression), each only when it has a point. Results without an accuracy
/// are left out; where several land on one fraction of a line (two base
/// runs, a re-run), the newest counts.
std::vector<EfficiencySeries> efficiencySeries(const std::vector<pl::EvalResult>& results,
                                               const std::string& label);

}  // namespace pl::ui
