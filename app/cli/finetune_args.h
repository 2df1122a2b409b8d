#pragma once
// Arguments shared by `finetune` and `efficiency`: the training settings of
// a fine-tuning run, and lists of labelled fractions (also `eval --probe`).

#include <string>
#include <vector>

#include "cli/arg_parser.h"
#include "common/result.h"
#include "finetune/finetune_job.h"

namespace pl::cli {

/// --epochs, --patience, --batch, --lr, --encoder-lr, --validation, --seed, --threads.
const std::vector<OptionSpec>& finetuneSettingOptions();

/// Applies those options to `options`; an error names the option at fault.
Status applyFinetuneSettings(const ParsedArgs& args, FinetuneOptions& options);

/// "0.01,0.1,1": each in (0, 1]; an error names the bad entry.
Result<std::vector<double>> parseFractions(const std::string& text, const std::string& option);

}  // namespace pl::cli
