#pragma once
// What a run configuration will cost before it starts: the model's exact
// parameter count (a closed form of core/model's shapes, checked against a
// constructed model in tests) and a rough time per epoch from a FLOP count.
// No LibTorch, no Qt: the GUI calls it on every keystroke of the config panel.

#include <cstdint>
#include <vector>

#include "train/run_config.h"

namespace pl {

/// What the estimate needs to know about the project's data.
struct CatalogShape {
  int64_t products = 0;
  /// Mean tokens per product text ([CLS] included); capped at maxLength.
  double meanTokens = 16;
  /// Vocabulary size of each attribute input, in RunConfig::attributeInputs()
  /// order (the corpus keeps values seen twice, plus 2 reserved). Missing
  /// entries count as kAssumedCardinality.
  std::vector<int64_t> attributeCardinalities;
  /// The tokenizer's real size; 0: the config's vocabSize (a small corpus
  /// can give SentencePiece fewer pieces than asked for).
  int64_t vocabSize = 0;
  /// Share of products with a picture (runs with the image input).
  double picturedShare = 1;
};

/// Cardinality assumed for an attribute whose values were not counted.
constexpr int64_t kAssumedCardinality = 64;

/// The rough cost of one run.
struct RunEstimate {
  int64_t parameters = 0;
  int64_t stepsPerEpoch = 0;
  double flopsPerStep = 0;
  double secondsPerStep = 0;
  double secondsPerEpoch = 0;
  /// One-off work before the first step: finding lexical neighbours.
  double setupSeconds = 0;
};

/// Trainable parameters of ProductModel(config, cardinalities, vocabSize):
/// text encoder, MLM head (present whenever there is a text input), attribute
/// encoder, fusion head and the attr heads the config asks for.
int64_t countParameters(const RunConfig& config, const std::vector<int64_t>& attributeCardinalities,
                        int64_t vocabSize);

/// Parameters, steps and a time per epoch for `config` on `shape`. The time
/// is calibrated on the reference machine (2 CPU cores, OpenBLAS: about
/// 30 GFLOP/s effective in training steps); expect a factor of 2 either way.
RunEstimate estimateRun(const RunConfig& config, const CatalogShape& shape);

}  // namespace pl
