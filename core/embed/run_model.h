#pragma once
// A run's trained model ready for inference: its config, tokenizer and the
// last checkpoint's weights, in eval mode. The embedding job and free-text
// queries (neighbors/query_encoder.h) load it the same way, so a query is
// encoded by exactly the model that produced the stored vectors.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/product_model.h"
#include "store/project.h"
#include "store/run_store.h"
#include "text/tokenizer.h"
#include "train/product_corpus.h"
#include "train/run_config.h"

namespace pl {

/// Everything needed to run a trained model.
struct RunModel {
  RunRecord run;
  RunConfig config;
  Tokenizer tokenizer;
  ProductModel model;
  std::vector<int64_t> attributeCardinalities;  ///< per attribute input, as the model was built
  /// Set when the newest checkpoint was damaged and the previous one was
  /// loaded instead (see loadNewestCheckpoint); callers show it.
  std::string checkpointWarning;
};

/// Loads the run's config, tokenizer and newest checkpoint that verifies
/// against its SHA-256 (falling back to the previous one, with a warning).
/// The attribute tables are sized from the catalog's attribute
/// vocabularies, as in training. With `corpus`, every product is tokenized
/// into it (what embedding needs); without, only the attribute columns are read.
Result<RunModel> loadRunModel(Project& project, const std::string& runName,
                              ProductCorpus* corpus = nullptr);

}  // namespace pl
