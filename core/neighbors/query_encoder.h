#pragma once
// Free-text queries ("red running shoes") embedded by a run's own encoder,
// so they can be searched against its product vectors.

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/project.h"

namespace pl {

/// Holds a run's model and tokenizer in memory (load once, encode many).
class QueryEncoder {
 public:
  /// Loads the run's last checkpoint, tokenizer and embedding transform.
  /// Fails when the run has no checkpoint or no text input.
  static Result<std::unique_ptr<QueryEncoder>> open(Project& project, const std::string& runName);
  virtual ~QueryEncoder() = default;
  /// The L2-normalised vector of `text` treated as a product title (other
  /// inputs empty), comparable with the run's stored embeddings.
  virtual Result<std::vector<float>> encode(const std::string& text) = 0;
};

}  // namespace pl
