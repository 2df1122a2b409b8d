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
// Convolutions run faster than the text encoder's small matrices: SimCLR
// with image-cnn on Fashion-MNIST (1 x 32 x 32, batch 128) ran 0.26 s/step
// for ~18.6 GFLOP.
constexpr double kImageFlopsPerSecond = 70e9;

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

int64_t conv(int64_t in, int64_t out, int64_t k, bool bias) { return in * out * k * k + (bias ? out : 0); }
int64_t batchNorm(int64_t channels) { return 2 * channels; }

int64_t residualBlock(int64_t in, int64_t out, bool down) {
  int64_t n = conv(in, out, 3, false) + batchNorm(out) + conv(out, out, 3, false) + batchNorm(out);
  if (down || in != out) n += conv(in, out, 1, false) + batchNorm(out);
  return n;
}

// See model/image_encoder.cpp.
int64_t imageEncoder(const RunConfig& c) {
  const int64_t d = c.dim, ch = c.image.channels, p = c.patchSize;
  const int64_t patches = (c.image.size / p) * (c.image.size / p);
  const bool mim = c.uses("mim");
  if (c.imageEncoder == "image-vit") {
    int64_t n = conv(ch, d, p, true) + patches * d + c.layers * transformerBlock(d) + layerNorm(d);
    if (mim) {
      const int64_t dd = std::max<int64_t>(32, d / 2);
      n += linear(d, dd) + dd + patches * dd + transformerBlock(dd) + layerNorm(dd) + linear(dd, ch * p * p);
    }
    return n;
  }
  const int64_t w = std::max<int64_t>(8, d / 4);
  int64_t n = conv(ch, w, 3, false) + batchNorm(w) + residualBlock(w, w, false) + residualBlock(w, 2 * w, true) +
              residualBlock(2 * w, d, true);
  if (mim) n += conv(d, ch * 64, 1, true) + ch;
  return n;
}

// Multiply-adds of one picture through the image encoder.
double imageMacs(const RunConfig& c) {
  const double d = c.dim, ch = c.image.channels, s = c.image.size, p = c.patchSize;
  if (c.imageEncoder == "image-vit") {
    const double tokens = (s / p) * (s / p);
    return tokens * ch * p * p * d + c.layers * tokens * (12 * d * d + 2 * tokens * d);
  }
  const double w = std::max(8.0, d / 4);
  const double half = (s / 2) * (s / 2), quarter = half / 4, eighth = quarter / 4;
  return half * (9 * ch * w + 18 * w * w) + quarter * (9 * w * 2 * w + 9 * 4 * w * w + 2 * w * w) +
         eighth * (9 * 2 * w * d + 9 * d * d + 2 * w * d);
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
  if (c.usesImages()) {
    total += imageEncoder(c) + d;  // + the "no picture" vector
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
  const double textFlops = flops;
  double imageSeconds = 0;
  if (c.usesImages()) {
    // Pictures through the image encoder: each view, plus mim's masked pass
    // (a ViT encodes only the visible patches), forward and backward.
    const double pictures = c.batch * std::clamp(shape.picturedShare, 0.0, 1.0);
    double passes = 1 + (c.uses("contrastive") ? 1 : 0) + (c.uses("copurchase") ? 2 : 0);
    if (c.uses("mim")) passes += c.imageEncoder == "image-vit" ? 1.3 * (1 - c.imageMaskRate) : 1.0;
    const double imageFlops = 3 * passes * pictures * 2 * imageMacs(c);
    flops += imageFlops;
    imageSeconds = imageFlops / kImageFlopsPerSecond;
  }
  e.flopsPerStep = flops;
  e.secondsPerStep = textFlops / kFlopsPerSecond + imageSeconds + kSecondsPerStepOverhead +
                     kSecondsPerParameter * static_cast<double>(e.parameters);
  e.secondsPerEpoch = e.secondsPerStep * static_cast<double>(e.stepsPerEpoch);
  if (takesLexicalViews(c)) {
    // The exact TF-IDF k-NN grows with products squared: about 30 s for
    // Instacart's 49,688 titles on the reference machine. Above the limit,
    // LSA + HNSW grows about linearly: 300 s at 1M products (TF-IDF 48 s,
    // LSA 60 s, HNSW build 116 s, graph 76 s; docs/benchmarks.md).
    const double n = static_cast<double>(shape.products);
    e.setupSeconds = shape.products > kExactLexicalLimit ? 3.0e-4 * n : 1.2e-8 * n * n;
  }
  return e;
}

}  // namespace pl
