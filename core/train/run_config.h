#pragma once
// A pretraining run's full configuration. Stored as JSON with the run, so a
// run can be cloned, resumed and compared; the CLI's --config file has the
// same shape and flags override it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "image/image_options.h"

namespace pl {

/// First-view embeddings the neighbours objective searches (NNCLR's support
/// set), saved with each checkpoint (8 MiB at 128 dimensions).
constexpr int kNeighbourSupport = 16384;

/// Everything a pretraining run needs to be reproduced.
struct RunConfig {
  // Model. The default recipe (text-bow, contrastive views with half the
  // words left out, half of them made from a TF-IDF neighbour, plus
  // nearest-neighbour positives, 40 epochs) is the best of the sweeps in
  // docs/benchmarks.md and docs/benchmarks_finetune.md: 10-NN 0.9269 on
  // Myntra articleType, 0.7194 on Instacart aisle. Transformer settings
  // below are sized for 2 CPU cores: an epoch of Myntra's 44k titles in
  // about 3 minutes.
  std::string encoder = "text-bow";  ///< text-bow | text-transformer
  int layers = 3;
  int dim = 128;
  int heads = 4;
  int maxLength = 48;     ///< tokens per product text, cls included
  std::string pooling = "mean";  ///< mean | cls
  double dropout = 0.1;
  int embeddingDim = 128;  ///< size of the fused, L2-normalised product vector
  /// Whiten the catalog's vectors when embedding (embed/whitening.h), fitted
  /// on the project's own vectors. Helps anisotropic MLM-trained vectors
  /// (+1.8 points 10-NN on Myntra), hurts contrastive ones: off by default.
  bool whiten = false;
  int vocabSize = 8000;

  // Data
  /// Product fields the model sees. title/description are text; "image" is
  /// the product picture (image encoder); brand, category, price and any
  /// attribute column go through the attribute encoder.
  std::vector<std::string> inputs = {"title"};
  double validationFraction = 0.02;

  // Images (when `inputs` has "image").
  std::string imageEncoder = "image-cnn";  ///< image-cnn | image-vit
  ImageShape image;            ///< input size, channels, pad or crop
  int patchSize = 4;           ///< ViT patches and mim's masked patches
  double imageMaskRate = 0.75; ///< mim: share of patches hidden (MAE's default)
  ImageAugment augment;        ///< contrastive views of pictures (SimCLR)
  /// Share of pictures hidden from the fused vector in training, so products
  /// without a picture still get a good vector (only with another input).
  double modalityDropout = 0.2;

  // Objectives: name -> loss weight (mlm, attr, contrastive, neighbours,
  // copurchase, mim, clip).
  std::map<std::string, double> objectives = {{"contrastive", 1.0}, {"neighbours", 1.0}};
  double maskRate = 0.15;
  bool wholeWordMask = false;
  double temperature = 0.05;  ///< InfoNCE temperature
  /// contrastive: share of whole words left out of the second view (0: the
  /// clean text). Harder views keep the task from saturating.
  double viewWordDrop = 0.5;
  /// contrastive: share of whole words left out of the first view too, drawn
  /// independently, so the two views are different subsets of the title.
  double firstViewWordDrop = 0.0;
  /// contrastive: embeddings of the last N second views kept as extra
  /// negatives (0: in-batch negatives only); saved with each checkpoint.
  int negativeQueue = 0;
  /// contrastive: share of second views taken from one of the product's
  /// nearest products by TF-IDF (train/lexical_neighbours.h) instead of from
  /// the product itself (0: never). Half of them: +0.85 points 10-NN on
  /// Instacart aisle (docs/benchmarks_finetune.md).
  double lexicalViews = 0.5;
  /// attr targets: input fields hidden and predicted (default: all
  /// categorical attribute inputs).
  std::vector<std::string> attrTargets;

  // Optimisation
  /// 20 epochs fall short of TF-IDF on Instacart (0.7185 vs 0.7189); 40 take
  /// about 10 minutes for Instacart or Myntra on 2 cores.
  int epochs = 40;
  int64_t maxSteps = 0;         ///< 0: no step limit
  double timeLimitMinutes = 0;  ///< 0: no time limit
  int batch = 128;
  double lr = 5e-4;
  double weightDecay = 0.01;
  double warmupFraction = 0.06;
  std::string schedule = "cosine";  ///< cosine | linear | constant
  double clipNorm = 1.0;
  uint64_t seed = 42;
  int threads = 0;  ///< LibTorch intra-op threads; 0: auto (see setTorchThreads)
  int checkpointEvery = 500;

  std::string toJson() const;
  /// Parses JSON written by toJson() or by hand; unknown keys are an error
  /// (a typo must not silently fall back to a default).
  static Result<RunConfig> fromJson(const std::string& text, const std::string& source);

  /// Checks values and combinations; `hasBaskets` tells whether copurchase
  /// can work. `evaluationLabel` (optional) must be neither an input nor an
  /// attr target: that would be supervision, not self-supervision.
  Status validate(bool hasBaskets, const std::string& evaluationLabel = "") const;

  bool uses(const std::string& objective) const { return objectives.count(objective) > 0; }
  double weight(const std::string& objective) const;
  /// Text inputs (title, description) in a fixed order.
  std::vector<std::string> textInputs() const;
  /// Whether the run reads product pictures ("image" among the inputs).
  bool usesImages() const;
  /// Non-text, non-image inputs (brand, category, price, attributes).
  std::vector<std::string> attributeInputs() const;
  /// attrTargets, or all categorical attribute inputs when empty.
  std::vector<std::string> effectiveAttrTargets() const;
};

}  // namespace pl
