#include "train/batching.h"

#include <thread>

#include "image/product_images.h"

#include <algorithm>
#include <random>

#include "text/tokenizer.h"

namespace pl {

void splitTrainValidation(size_t count, double validationFraction, uint64_t seed,
                          std::vector<int32_t>& train, std::vector<int32_t>& validation) {
  std::vector<int32_t> all(count);
  for (size_t i = 0; i < count; ++i) all[i] = static_cast<int32_t>(i);
  std::mt19937_64 rng(seed ^ 0x5eed5eedULL);
  std::shuffle(all.begin(), all.end(), rng);
  size_t nValidation = static_cast<size_t>(validationFraction * static_cast<double>(count));
  nValidation = std::min(nValidation, count / 2);
  validation.assign(all.begin(), all.begin() + static_cast<long>(nValidation));
  train.assign(all.begin() + static_cast<long>(nValidation), all.end());
  std::sort(validation.begin(), validation.end());
  std::sort(train.begin(), train.end());
}

std::vector<std::vector<int32_t>> epochBatches(const ProductCorpus& corpus,
                                               const std::vector<int32_t>& items, int batchSize,
                                               uint64_t seed, int epoch) {
  std::vector<int32_t> order = items;
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(epoch));
  std::shuffle(order.begin(), order.end(), rng);
  const size_t window = static_cast<size_t>(batchSize) * 50;
  std::vector<std::vector<int32_t>> batches;
  for (size_t start = 0; start < order.size(); start += window) {
    auto first = order.begin() + static_cast<long>(start);
    auto last = order.begin() + static_cast<long>(std::min(order.size(), start + window));
    std::stable_sort(first, last, [&](int32_t a, int32_t b) {
      return corpus.tokens[a].size() < corpus.tokens[b].size();
    });
    for (auto it = first; it < last; it += batchSize) {
      auto end = std::min(last, it + batchSize);
      if (end - it < 2) continue;  // a batch of one has no negatives
      batches.emplace_back(it, end);
    }
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

std::vector<std::vector<int32_t>> sequentialBatches(const std::vector<int32_t>& items,
                                                    int batchSize) {
  std::vector<std::vector<int32_t>> batches;
  for (size_t i = 0; i < items.size(); i += static_cast<size_t>(batchSize)) {
    batches.emplace_back(items.begin() + static_cast<long>(i),
                         items.begin() + static_cast<long>(std::min(items.size(), i + batchSize)));
  }
  return batches;
}

namespace {

// Decoding is the slow part of a batch of pictures; LibTorch waits for it.
int imageThreads() { return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u)); }

void fillImages(const ProductCorpus& corpus, const ImageAugment* augment, uint64_t seed, Batch& batch) {
  ProductImages& images = *corpus.images;
  const int64_t b = static_cast<int64_t>(batch.items.size());
  const ImageShape& shape = images.shape();
  batch.images = torch::empty({b, shape.channels, shape.size, shape.size}, torch::kFloat32);
  batch.imagePresent = torch::zeros({b}, torch::kBool);
  images.fill(batch.items, augment, seed, batch.images.data_ptr<float>(),
              reinterpret_cast<uint8_t*>(batch.imagePresent.data_ptr<bool>()), imageThreads());
}

}  // namespace

void fillImageViews(const ProductCorpus& corpus, const ImageAugment& augment, uint64_t seed, Batch& batch) {
  if (corpus.images) fillImages(corpus, &augment, seed, batch);
}

Batch collate(const ProductCorpus& corpus, const std::vector<int32_t>& items, ImageFill fill) {
  const int64_t b = static_cast<int64_t>(items.size());
  int64_t t = 1;
  for (int32_t i : items) t = std::max<int64_t>(t, static_cast<int64_t>(corpus.tokens[i].size()));
  Batch batch;
  batch.items = items;
  batch.ids = torch::full({b, t}, Tokenizer::kPad, torch::kInt64);
  batch.mask = torch::zeros({b, t}, torch::kBool);
  batch.maskable = torch::zeros({b, t}, torch::kBool);
  batch.wordStarts = torch::zeros({b, t}, torch::kBool);
  auto ids = batch.ids.accessor<int64_t, 2>();
  auto mask = batch.mask.accessor<bool, 2>();
  auto maskable = batch.maskable.accessor<bool, 2>();
  auto starts = batch.wordStarts.accessor<bool, 2>();
  for (int64_t r = 0; r < b; ++r) {
    const auto& tokens = corpus.tokens[items[r]];
    const auto& ws = corpus.wordStarts[items[r]];
    for (size_t c = 0; c < tokens.size(); ++c) {
      ids[r][c] = tokens[c];
      mask[r][c] = true;
      maskable[r][c] = tokens[c] != Tokenizer::kCls && tokens[c] != Tokenizer::kSep;
      starts[r][c] = ws[c] != 0;
    }
  }
  const int64_t a = static_cast<int64_t>(corpus.attributes.size());
  batch.attributes = torch::zeros({b, a}, torch::kInt64);
  auto attrs = batch.attributes.accessor<int64_t, 2>();
  for (int64_t r = 0; r < b; ++r) {
    for (int64_t k = 0; k < a; ++k) attrs[r][k] = corpus.attributes[k].codes[items[r]];
  }
  if (corpus.images && fill == ImageFill::Fitted) fillImages(corpus, nullptr, 0, batch);
  return batch;
}

}  // namespace pl
