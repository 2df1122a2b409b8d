#pragma once
// The pieces a fine-tuned classifier is made of and scored with, shared by
// training, scoring and prediction.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "finetune/finetune_store.h"
#include "model/product_model.h"
#include "train/product_corpus.h"

namespace pl {

/// Factor on the L2-normalised product vector before the head: sqrt(dim),
/// so each input has about unit variance and a default Linear initialisation
/// and learning rate fit (on unit vectors the logits start near zero and
/// grow slowly).
double classifierInputScale(int64_t dim);

/// Product vectors of `items` (corpus indices), row i for items[i], with
/// the model in eval mode and no grad (the caller restores train mode).
torch::Tensor embedItems(ProductModelImpl& model, const ProductCorpus& corpus,
                         const std::vector<int32_t>& items, int batch = 256);

/// Class (argmax) and its softmax probability for each row of `logits`.
void predictClasses(const torch::Tensor& logits, std::vector<int32_t>& classes,
                    std::vector<float>& confidence);

/// Logits of normalised product vectors [N,dim] under a stored head.
torch::Tensor headLogits(const FinetuneHead& head, const torch::Tensor& embeddings);

}  // namespace pl
