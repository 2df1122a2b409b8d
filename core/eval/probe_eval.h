#pragma once
// Label efficiency: a linear probe trained on a share of a label's training
// products and scored on its fixed test split, for a run's embeddings and for
// the classical baselines on the same products.

#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "eval/classification_metrics.h"
#include "image/image_options.h"
#include "store/project.h"

namespace pl {

/// Where the probe's features come from.
struct ProbeSource {
  enum class Kind { Run, Tfidf, Lsa, Pixels };
  Kind kind = Kind::Run;
  std::string run;                            ///< Kind::Run
  std::vector<std::string> textFields{"title"};  ///< Tfidf / Lsa
  int64_t lsaDim = 128;
  /// Pixels: each picture fitted to this shape, its pixels the features
  /// (products without a picture are left out).
  ImageShape pixels{32, 1, true};
  std::string name() const;  ///< "run ssl", "tf-idf+logreg", "lsa-128+logreg", "pixels+logreg"
};

/// One point of the label-efficiency table.
struct ProbeResult {
  std::string source;
  std::string label;
  double fraction = 1;
  int64_t trainItems = 0;
  int64_t testItems = 0;
  ClassificationScores scores;  ///< on the test split
  double seconds = 0;
};

/// Trains and scores one probe per fraction (the test split is created on
/// first use and stored; see label_split.h). Runs pass the leak guard first.
Result<std::vector<ProbeResult>> evaluateProbes(Project& project, const ProbeSource& source,
                                                const std::string& labelName,
                                                const std::vector<double>& fractions, JobContext& context);

}  // namespace pl
