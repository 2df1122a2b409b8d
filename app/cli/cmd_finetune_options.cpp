// Option lists of `finetune` and `efficiency` (their shared training settings
// come from finetune_args).
#include "cli/commands.h"
#include "cli/finetune_args.h"

namespace pl::cli {

std::vector<OptionSpec> finetuneOptions() {
  std::vector<OptionSpec> options = {
      {"label", "FIELD", "the label: category:N, a mapped column (articleType), brand or an attribute"},
      {"run", "BASE", "the pretrained run to start from"},
      {"scratch", "", "start from random initialisation (the no-pretraining control)"},
      {"config", "FILE", "with --scratch: the run settings as JSON (default: the default recipe)"},
      {"mode", "probe|full", "freeze the encoder (probe) or train it too (full, default)"},
      {"fraction", "F", "share of the label's training split, stratified and seeded (default 1)"},
      {"subset", "FILE", "instead: these catalog ids, one a line (test-split products are left out)"},
      {"name", "NAME", "name of the new run (default <base>-ft-<mode>-<label>-<N>pct)"},
      {"replace", "", "delete an earlier fine-tuning run of that name first"},
  };
  const auto& settings = finetuneSettingOptions();
  options.insert(options.end(), settings.begin(), settings.end());
  options.push_back({"json", "", "print the report as JSON"});
  options.push_back({"quiet", "", "no progress output"});
  return options;
}

std::vector<OptionSpec> efficiencyOptions() {
  std::vector<OptionSpec> options = {
      {"label", "FIELD", "the label (as for finetune)"},
      {"run", "BASE", "the pretrained run (embedded first if it has no embeddings)"},
      {"fractions", "F,F,..", "labelled shares to score (default 0.01,0.1,1)"},
  };
  const auto& settings = finetuneSettingOptions();
  options.insert(options.end(), settings.begin(), settings.end());
  options.push_back({"json", "", "machine-readable output"});
  options.push_back({"quiet", "", "no progress output"});
  return options;
}

}  // namespace pl::cli
