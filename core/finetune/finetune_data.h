#pragma once
// The products a fine-tuning run learns from, is stopped by and is scored on:
// a subset of the label's training split (a stratified share, or products
// picked by hand minus any in the test split), a validation slice of that
// subset for early stopping, and the fixed test split.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "eval/label_field.h"
#include "eval/label_split.h"
#include "eval/neighbour_eval.h"
#include "finetune/finetune_job.h"

namespace pl {

/// Labelled products of one fine-tuning run, as products.id (each sorted).
struct FinetuneData {
  LabelField label;
  LabelledItems items;
  LabelSplit split;
  std::vector<int64_t> subset;      ///< training + validation products
  std::vector<int64_t> training;    ///< subset minus validation
  std::vector<int64_t> validation;  ///< early-stopping slice of the subset
  int64_t droppedTestItems = 0;     ///< hand-picked products that were in the test split
  /// Share of the label's training split the subset is (options.fraction, or
  /// subset / training split for hand-picked products).
  double fraction = 1;
};

/// Resolves the label, draws (or reads) its test split and picks the subset
/// and the validation slice. Errors name the label and what is missing.
Result<FinetuneData> prepareFinetuneData(Database& db, const FinetuneOptions& options);

}  // namespace pl
