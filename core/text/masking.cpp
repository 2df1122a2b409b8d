#include "text/masking.h"

namespace pl {
namespace {

/// For rows that have a candidate but drew none, choose the candidate with
/// the smallest draw: it reuses the row's uniform draws, so the pick is
/// uniform over candidates and costs no extra generator state.
torch::Tensor ensureOnePerRow(const torch::Tensor& chosen, const torch::Tensor& candidates,
                              const torch::Tensor& draws) {
  const auto needs = candidates.any(1).logical_and(chosen.any(1).logical_not());
  if (!needs.any().item<bool>()) return chosen;
  const auto scores = draws.masked_fill(candidates.logical_not(), 2.0);
  const auto best = scores.argmin(1, /*keepdim=*/true);
  auto forced = torch::zeros_like(chosen).scatter_(1, best, true);
  return chosen.logical_or(forced.logical_and(needs.unsqueeze(1)));
}

/// Whole-word choice: a word is chosen with probability `rate` (at least one
/// per row when `atLeastOne`) and takes all of its tokens with it.
torch::Tensor chooseWholeWords(const torch::Tensor& maskable, const torch::Tensor& wordStarts,
                               const torch::Tensor& draws, double rate, bool atLeastOne) {
  // A word starts at a marked start or where a maskable run begins, so a
  // word never spans pads or specials and every maskable token has a word.
  auto prevMaskable = torch::zeros_like(maskable);
  prevMaskable.slice(1, 1).copy_(maskable.slice(1, 0, -1));
  const auto starts = maskable.logical_and(wordStarts.logical_or(prevMaskable.logical_not()));
  auto startChosen = starts.logical_and(draws < rate);
  if (atLeastOne) startChosen = ensureOnePerRow(startChosen, starts, draws);
  // Each token follows its word's start: the last start at or before it
  // (a running max of start positions).
  const auto t = torch::arange(maskable.size(1), torch::TensorOptions().dtype(torch::kLong));
  const auto startAt = std::get<0>(torch::where(starts, t, 0).cummax(1));
  return maskable.logical_and(startChosen.gather(1, startAt));
}

}  // namespace

MaskedBatch maskTokens(const torch::Tensor& ids, const torch::Tensor& maskable,
                       const torch::Tensor& wordStarts, const MaskingOptions& options,
                       torch::Generator& generator) {
  TORCH_CHECK(ids.dim() == 2 && ids.scalar_type() == torch::kLong, "ids must be [B,T] int64");
  TORCH_CHECK(maskable.sizes() == ids.sizes() && maskable.scalar_type() == torch::kBool,
              "maskable must be [B,T] bool like ids");
  TORCH_CHECK(options.vocabSize > options.firstOrdinaryId,
              "vocabSize must exceed firstOrdinaryId for random replacements");
  const auto sizes = ids.sizes();
  const auto real = torch::TensorOptions().dtype(torch::kFloat);

  // Every draw happens whatever the data, so the generator advances by the
  // same amount per batch and a resumed run replays the same stream.
  const auto choiceDraws = torch::rand(sizes, generator, real);
  const auto ruleDraws = torch::rand(sizes, generator, real);
  const auto randomIds = torch::randint(options.firstOrdinaryId, options.vocabSize, sizes,
                                        generator, torch::TensorOptions().dtype(torch::kLong));

  torch::Tensor chosen;
  if (options.wholeWord) {
    TORCH_CHECK(wordStarts.sizes() == ids.sizes() && wordStarts.scalar_type() == torch::kBool,
                "wordStarts must be [B,T] bool like ids");
    chosen = chooseWholeWords(maskable, wordStarts, choiceDraws, options.rate, true);
  } else {
    chosen = maskable.logical_and(choiceDraws < options.rate);
    chosen = ensureOnePerRow(chosen, maskable, choiceDraws);
  }

  // BERT's rule: 80% [MASK], 10% a random ordinary token, 10% unchanged.
  const auto toMask = chosen.logical_and(ruleDraws < 0.8);
  const auto toRandom = chosen.logical_and(ruleDraws >= 0.8).logical_and(ruleDraws < 0.9);
  auto inputIds = ids.masked_fill(toMask, options.maskId);
  inputIds = torch::where(toRandom, randomIds, inputIds);

  MaskedBatch out;
  out.positions = chosen.reshape({-1}).nonzero().reshape({-1});
  out.targets = ids.reshape({-1}).index_select(0, out.positions);
  out.inputIds = inputIds;
  return out;
}

torch::Tensor dropWords(const torch::Tensor& mask, const torch::Tensor& maskable,
                        const torch::Tensor& wordStarts, double rate, torch::Generator& generator) {
  TORCH_CHECK(mask.sizes() == maskable.sizes() && wordStarts.sizes() == maskable.sizes(),
              "mask, maskable and wordStarts must have the same [B,T] shape");
  const auto draws = torch::rand(maskable.sizes(), generator, torch::TensorOptions().dtype(torch::kFloat));
  if (rate <= 0) return mask;
  // Not forced per row: a three-word title would lose a third of itself every time.
  auto dropped = chooseWholeWords(maskable, wordStarts, draws, rate, false);
  // A view must keep at least one word: rows that would lose every word keep all.
  const auto emptied = maskable.logical_and(dropped.logical_not()).any(1).logical_not();
  dropped = dropped.logical_and(emptied.logical_not().unsqueeze(1));
  return mask.logical_and(dropped.logical_not());
}

}  // namespace pl
