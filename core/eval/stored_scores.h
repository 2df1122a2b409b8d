#pragma once
// Probe and neighbour scores in their stored form (eval_results.h), so the
// CLI, the label-efficiency job and the GUI file them under the same names.

#include <string>

#include "eval/eval_results.h"
#include "eval/neighbour_eval.h"
#include "eval/probe_eval.h"

namespace pl {

/// The subject a probe source is stored under: the run's name, "tf-idf" or
/// "lsa-<dim>".
std::string evalSubject(const ProbeSource& source);

/// Method "probe": accuracy and macro_f1 on the label's test split.
EvalResult probeEvalResult(const ProbeResult& result, const std::string& subject,
                           const std::string& label);

/// Method "knn" (fraction 1): knn_accuracy and precision_at_k over the
/// labelled products (both the train and test item counts are that number).
EvalResult knnEvalResult(const NeighbourScores& scores, const std::string& subject,
                         const std::string& label);

}  // namespace pl
