#pragma once
// Applies a trained model to another project: reads a folder written by
// `export --format model` (model.safetensors, config.json, tokenizer.model)
// and creates a run in the project with that config, tokenizer and weights as
// its checkpoint, so `embed`, the Explore page and fine-tuning take it like a
// run trained there ("pretrain once, fine-tune many").

#include <cstdint>
#include <string>

#include "common/result.h"
#include "store/project.h"

namespace pl {

/// Creates run `runName` from the exported model in `dir`; returns its id.
/// Runs with attribute inputs are refused: their value vocabularies belong to
/// the source catalog.
Result<int64_t> importModel(Project& project, const std::string& dir, const std::string& runName);

}  // namespace pl
