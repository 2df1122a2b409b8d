#pragma once
// Batches for training and embedding. Training batches group products of
// similar token length (less padding), in an order fixed by (seed, epoch)
// so a resumed run sees exactly the batches it would have seen.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "image/image_options.h"
#include "model/product_model.h"
#include "train/product_corpus.h"

namespace pl {

/// One collated batch.
struct Batch {
  std::vector<int32_t> items;  ///< corpus indices
  torch::Tensor ids;           ///< [B,T] int64, padded with Tokenizer::kPad
  torch::Tensor mask;          ///< [B,T] bool, true at real tokens
  torch::Tensor maskable;      ///< [B,T] bool, real tokens other than cls/sep
  torch::Tensor wordStarts;    ///< [B,T] bool
  torch::Tensor attributes;    ///< [B,A] int64 codes (A may be 0)
  torch::Tensor images;        ///< [B,C,S,S] float in [-1,1], zeros where absent; runs with pictures only
  torch::Tensor imagePresent;  ///< [B] bool: the product's picture was read
};

/// What collate puts into Batch::images.
enum class ImageFill {
  Fitted,  ///< each picture fitted to the encoder's input (embedding, validation)
  None,    ///< nothing yet: the caller draws augmented views (fillImageViews)
};

/// Splits corpus indices into train and validation, stable for a seed.
void splitTrainValidation(size_t count, double validationFraction, uint64_t seed,
                          std::vector<int32_t>& train, std::vector<int32_t>& validation);

/// Length-bucketed batches of `items` for one epoch: shuffle with
/// (seed, epoch), sort windows of 50 batches by length, cut, shuffle batches.
std::vector<std::vector<int32_t>> epochBatches(const ProductCorpus& corpus,
                                               const std::vector<int32_t>& items, int batchSize,
                                               uint64_t seed, int epoch);

/// Consecutive batches in the given order (embedding, validation).
std::vector<std::vector<int32_t>> sequentialBatches(const std::vector<int32_t>& items,
                                                    int batchSize);

/// Pads and stacks the products of one batch; with pictures in the corpus,
/// also their images as `fill` says.
Batch collate(const ProductCorpus& corpus, const std::vector<int32_t>& items,
              ImageFill fill = ImageFill::Fitted);

/// Sets `batch.images` to random views of its products' pictures (SimCLR
/// augmentations), drawn from `seed` alone, so a resumed run draws the same.
void fillImageViews(const ProductCorpus& corpus, const ImageAugment& augment, uint64_t seed, Batch& batch);

/// The model's forward pass on a collated batch (all its inputs).
inline ProductForward forwardBatch(ProductModelImpl& model, const Batch& batch) {
  return model.forward(batch.ids, batch.mask, batch.attributes, batch.images, batch.imagePresent);
}

}  // namespace pl
