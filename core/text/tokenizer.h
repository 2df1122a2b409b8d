#pragma once
// Subword tokenizer for product text (SentencePiece unigram). Trained on the
// project's own titles/descriptions/brands, stored with each run, and the
// same for English and Chinese (no whitespace pre-splitting assumptions).

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl::spm {
class Processor;  // SentencePiece, loaded in isolation (see sentencepiece_api.h)
}

namespace pl {

/// How to train a tokenizer.
struct TokenizerOptions {
  int vocabSize = 8000;             ///< including the special tokens
  double characterCoverage = 0.9995;///< < 1 lets rare CJK characters map to unk
  int maxSentences = 2'000'000;     ///< input sample cap (memory/time bound)
  int seed = 1;
  /// Fold case (SentencePiece's nmt_nfkc_cf rule): "Red", "RED" and "red"
  /// become one piece, so a typed query matches catalog title case. The rule
  /// is stored in the model, so older tokenizers keep encoding as they did.
  bool caseFold = true;
};

/// A trained SentencePiece model with fixed special-token ids:
/// pad = 0, unk = 1, cls = 2, sep = 3, mask = 4; ordinary pieces follow.
class Tokenizer {
 public:
  static constexpr int kPad = 0, kUnk = 1, kCls = 2, kSep = 3, kMask = 4;

  /// Trains on `texts` (one product text each, e.g. "title brand") and
  /// writes the model to `modelPath` (atomically). When the texts cannot
  /// support `vocabSize`, the largest feasible size is used instead.
  static Result<Tokenizer> train(const std::vector<std::string>& texts,
                                 const TokenizerOptions& options, const std::string& modelPath);
  /// Loads a model written by train(); refuses one whose special ids differ.
  static Result<Tokenizer> load(const std::string& modelPath);

  /// Piece ids of `text`, without cls/sep, truncated to `maxTokens` (0: all).
  std::vector<int> encode(const std::string& text, int maxTokens = 0) const;
  /// Same, also marking which ids start a word (for whole-word masking).
  std::vector<int> encode(const std::string& text, std::vector<bool>& wordStarts,
                          int maxTokens = 0) const;
  std::string decode(const std::vector<int>& ids) const;
  int vocabSize() const;
  /// The serialized model (to store it in the project or next to a checkpoint).
  std::string serialized() const;

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

 private:
  Tokenizer();
  std::unique_ptr<spm::Processor> sp_;
};

}  // namespace pl
