#pragma once
// The config.json of a model export (model_export.h), checked as
// `import-model` reads it: format 1, a tokenizer vocabulary size, a run
// config that passes the same checks as a run started here, and no attribute
// inputs (their value vocabularies belong to the source catalog). No
// LibTorch here: only the JSON and the run config.

#include <cstdint>
#include <string>

#include "common/result.h"
#include "train/run_config.h"

namespace pl {

/// What import-model takes from config.json.
struct ModelExportConfig {
  RunConfig runConfig;     ///< validated (RunConfig::validate(true)), text and picture inputs only
  int64_t vocabSize = 0;   ///< tokenizer_vocab_size: 16 .. 2^22
};

/// Parses and checks the text of config.json; errors name `file` (the path
/// it was read from). Everything import-model checks before it reads
/// tokenizer.model and model.safetensors.
Result<ModelExportConfig> parseModelExportConfig(const std::string& text, const std::string& file);

}  // namespace pl
