#pragma once
// A run's trained model in files other tools read: model.safetensors (every
// parameter and buffer by its LibTorch name, float32), config.json (the run
// config plus what a loader needs: vocabulary size, attribute vocabularies,
// the tensor list) and tokenizer.model (SentencePiece). examples.jsonl holds
// the first products' token ids and stored embeddings, so a reimplementation
// can check itself (bench/reproduce_embeddings.py does, with NumPy only).
// docs/model_format.md documents the tensor names and the forward pass.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/project.h"

namespace pl {

struct ModelExportReport {
  int64_t tensors = 0;
  int64_t parameters = 0;  ///< floats written
  int64_t examples = 0;
  std::vector<std::string> files;
  /// Set when the newest checkpoint was damaged and the previous one was
  /// exported (loadNewestCheckpoint); the CLI prints it.
  std::string warning;
};

/// Writes DIR/model.safetensors, config.json, tokenizer.model and
/// examples.jsonl (the first `examples` embedded products; none when the run
/// was not embedded). Files are replaced atomically.
Result<ModelExportReport> exportModel(Project& project, const std::string& runName, const std::string& dir,
                                      int examples = 100);

/// A safetensors file: an 8-byte little-endian header length, the JSON
/// header (dtype, shape, byte offsets per tensor; padded with spaces to a
/// multiple of 8), then the raw little-endian data.
struct SafetensorsEntry {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;
};
std::string safetensorsBytes(const std::vector<SafetensorsEntry>& tensors, const std::string& metadataJson = "{}");

}  // namespace pl
