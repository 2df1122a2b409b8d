#pragma once
// MLM masking (BERT's rule): choose `rate` of the maskable positions; of
// those, 80% become [MASK], 10% a random ordinary token, 10% stay. With whole-word
// masking, a chosen word start takes the rest of its word with it.

#include <torch/torch.h>

namespace pl {

struct MaskingOptions {
  double rate = 0.15;
  bool wholeWord = false;
  int64_t maskId = 4;
  int64_t firstOrdinaryId = 5;  ///< random replacements come from [firstOrdinaryId, vocabSize)
  int64_t vocabSize = 8000;
};

/// Result of masking a batch.
struct MaskedBatch {
  torch::Tensor inputIds;   ///< [B,T] int64, ids after replacement
  torch::Tensor positions;  ///< [M] int64, flat indices (b*T+t) of the chosen positions
  torch::Tensor targets;    ///< [M] int64, original ids at those positions
};

/// Masks `ids` [B,T] (int64). `maskable` [B,T] bool marks real ordinary
/// tokens (not pad/cls/sep). `wordStarts` [B,T] bool is used only with
/// wholeWord. At least one position per non-empty row is chosen, so every
/// product contributes to the loss. Deterministic for a given generator state.
MaskedBatch maskTokens(const torch::Tensor& ids, const torch::Tensor& maskable,
                       const torch::Tensor& wordStarts, const MaskingOptions& options,
                       torch::Generator& generator);

/// A contrastive view that leaves out whole words: returns `mask` [B,T] bool
/// with the tokens of each dropped word set false (they become padding for
/// attention and pooling). Each word is dropped with probability `rate`; a
/// row never loses all of its words. The generator advances by
/// the same amount whatever `rate` is, so runs stay reproducible.
torch::Tensor dropWords(const torch::Tensor& mask, const torch::Tensor& maskable,
                        const torch::Tensor& wordStarts, double rate, torch::Generator& generator);

}  // namespace pl
