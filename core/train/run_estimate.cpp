#include "train/run_estimate.h"

#include <algorithm>
#include <cmath>

#include "train/lexical_neighbours.h"

namespace pl {

namespace {

// Calibration on the reference machine (docs/benchmarks.md): the default
// recipe on Myntra titles ran 195 ms/step for ~6.2 GFLOP/step, the
// `bench pretrain` MLM step 129 ms for ~3.5 GFLOP.
constexpr double kFlopsPerSecond = 30e9;
constexpr double kSecondsPerStepOverhead = 0.008;  // collate, op dispatch, clipping
constexpr double kSecondsPerParameter = 4e-9;      // AdamW: memory-bound pass over the weights

int64_t linear(int64_t in, int64_t out) { return in * out + out; }
int64_t layerNorm(int64_t dim) { return 2 * dim; }

int64_t transformerBlock(int64_t d) {
  // norm1, fused qkv, out, norm2, ffn in (4d), ffn out: see transformer_block.cpp.
  return layerNorm(d) + linear(d, 3 * d) + linear(d, d) + layerNorm(d) + linear(d, 4 * d) +
         linear(4 * d, d);
}

int64_t textEncoder(const RunConfig& c, int64_t vocab) {
  const int64_t d = c.dim;
  if (c.encoder == "text-bow") return vocab * d + layerNorm(d);
  return vocab * d + static_cast<int64_t>(c.maxLength) * d + c.layers * transformerBlock(d) +
         layerNorm(d);
}

int64_t cardinalityAt(const std::vector<int64_t>& cards, size_t k) {
  return k < cards.size() ? cards[k] : kAssumedCardinality;
}

}  // namespace

int64_t countParameters(const RunConfig& c, const std::vector<int64_t>& cards, int64_t vocab) {
  const int64_t d = c.dim;
  int64_t total = 0;
  int64_t fusedInput = 0;
  if (!c.textInputs().empty()) {
    total += textEncoder(c, vocab);
    total += linear(d, d) + layerNorm(d) + vocab;  // MLM head: dense, norm, bias (weight tied)
    fusedInput += d;
  }
  const auto inputs = c.attributeInputs();
  if (!inputs.empty()) {
    for (size_t k = 0; k < inputs.size(); ++k)
      total += std::max<int64_t>(cardinalityAt(cards, k), 2) * d;
    total += layerNorm(d);
    fusedInput += d;
  }
  total += linear(fusedInput, c.embeddingDim);
  if (c.uses("attr")) {
    const auto targets = c.effectiveAttrTargets();
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (std::find(targets.begin(), targets.end(), inputs[k]) != targets.end()) {
        total += linear(c.embeddingDim, cardinalityAt(cards, k));
      }
    }
  }
  return total;
}

RunEstimate estimateRun(const RunConfig& c, const CatalogShape& shape) {
  RunEstimate e;
  const int64_t vocab = shape.vocabSize > 0 ? shape.vocabSize : c.vocabSize;
  e.parameters = countParameters(c, shape.attributeCardinalities, vocab);
  const double trainProducts =
      std::max(0.0, std::floor(shape.products * (1.0 - c.validationFraction)));
  e.stepsPerEpoch = c.batch > 0 ? static_cast<int64_t>(std::ceil(trainProducts / c.batch)) : 0;

  const double d = c.dim;
  const double sequence = std::clamp(shape.meanTokens, 1.0, static_cast<double>(c.maxLength));
  const double tokens = c.batch * sequence;
  double encoderForward = 0;
  if (!c.textInputs().empty()) {
    if (c.encoder == "text-bow") {
      encoderForward = tokens * d * 8;  // lookups, mean, norm: elementwise only
    } else {
      // Linear layers (12 d^2 weights per block) plus attention scores and mixing.
      encoderForward = c.layers * tokens * (2 * 12 * d * d + 4 * sequence * d);
    }
  }
  // Views through the encoder: the masked one, a clean one for contrastive,
  // anchors and partners for copurchase. Backward costs about twice forward.
  double views = 1 + (c.uses("contrastive") ? 1 : 0) + (c.uses("copurchase") ? 2 : 0);
  double flops = 3 * views * encoderForward;
  if (c.uses("neighbours") && c.uses("contrastive")) {
    // Both views against the support bank (no gradient flows into it).
    flops += 2 * 2.0 * c.batch * kNeighbourSupport * c.embeddingDim;
  }
  if (c.uses("mlm") && !c.textInputs().empty()) {
    double masked = c.maskRate * tokens;
    flops += 3 * masked * (2 * d * d + 2 * d * static_cast<double>(vocab));
  }
  e.flopsPerStep = flops;
  e.secondsPerStep = flops / kFlopsPerSecond + kSecondsPerStepOverhead +
                     kSecondsPerParameter * static_cast<double>(e.parameters);
  e.secondsPerEpoch = e.secondsPerStep * static_cast<double>(e.stepsPerEpoch);
  if (takesLexicalViews(c)) {
    // The exact TF-IDF k-NN grows with products squared: about 30 s for
    // Instacart's 49,688 titles on the reference machine.
    const double n = static_cast<double>(shape.products);
    e.setupSeconds = 1.2e-8 * n * n;
  }
  return e;
}

}  // namespace pl
