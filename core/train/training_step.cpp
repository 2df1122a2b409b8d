#include "train/training_step.h"

#include "text/tokenizer.h"
#include "train/device.h"
#include "train/objectives.h"

namespace pl {

namespace F = torch::nn::functional;

void NegativeQueue::push(const torch::Tensor& batch) {
  auto rows = batch.detach();
  embeddings = embeddings.defined() ? torch::cat({embeddings, rows}) : rows.clone();
  if (embeddings.size(0) > capacity) embeddings = embeddings.slice(0, embeddings.size(0) - capacity);
}

namespace {
void add(StepLosses& losses, const std::string& name, const torch::Tensor& loss, double weight) {
  if (!loss.defined()) return;
  losses.parts[name] = loss.item<double>();
  auto weighted = loss * weight;
  losses.total = losses.total.defined() ? losses.total + weighted : weighted;
}

// NNCLR: each view's positive is the other view's nearest stored neighbour, so
// similar products (not just two copies of one) are pulled together. Plain
// word-drop views treat a product's near-duplicates as negatives.
void addNeighbourLoss(StepLosses& losses, const LossSetup& setup, const torch::Tensor& first,
                      const torch::Tensor& second) {
  const torch::Tensor& bank = setup.support->embeddings;
  // A bank smaller than a few batches gives the same few neighbours to every row.
  if (bank.defined() && bank.size(0) >= 4 * first.size(0)) {
    auto nearest = [&bank](const torch::Tensor& e) {
      return bank.index_select(0, torch::mm(e.detach(), bank.t()).argmax(1));
    };
    const double t = setup.config->temperature;
    auto loss = 0.5 * (infoNce(nearest(first), second, t) + infoNce(nearest(second), first, t));
    add(losses, "neighbours", loss, setup.config->weight("neighbours"));
  }
  setup.support->push(first);
}

// Modality dropout: a share of rows lose their picture from the fused
// vector, so the model also learns to place products that have none.
torch::Tensor dropPictures(const torch::Tensor& present, double share, torch::Generator& generator) {
  if (!present.defined() || share <= 0) return present;
  return present & (torch::rand({present.size(0)}, generator) >= share);
}

// `t` where the model is.
torch::Tensor onDevice(const LossSetup& setup, const torch::Tensor& t) {
  return t.defined() && t.device() != setup.device ? t.to(setup.device) : t;
}

// The rows of a batch-major tensor this rank computes, where the model is.
torch::Tensor myRows(const LossSetup& setup, const torch::Tensor& t) {
  if (!setup.sharded() || !t.defined() || t.dim() == 0) return onDevice(setup, t);
  return onDevice(setup, t.slice(0, setup.shardBegin, setup.shardEnd));
}

// Masked image modelling on the rows that have a picture. The patch masks
// are drawn for the whole batch; a sharded rank keeps its rows' share.
torch::Tensor mimLoss(ProductModelImpl& model, const LossSetup& setup, const Batch& batch,
                      torch::Generator& generator) {
  const RunConfig& config = *setup.config;
  auto rows = batch.imagePresent.nonzero().squeeze(1);
  if (rows.numel() == 0) return {};
  const int64_t side = config.image.size / config.patchSize;
  auto hidden = randomPatchMask(rows.numel(), side * side, config.imageMaskRate, generator);
  if (setup.sharded()) {
    auto mine = ((rows >= setup.shardBegin) & (rows < setup.shardEnd)).nonzero().squeeze(1);
    if (mine.numel() == 0) return {};
    rows = rows.index_select(0, mine);
    hidden = hidden.index_select(0, mine);
  }
  auto images = onDevice(setup, batch.images.index_select(0, rows));
  hidden = onDevice(setup, hidden);
  auto predicted = model.image().reconstruct(images, hidden);
  return maskedPixelLoss(predicted, images, hidden, config.patchSize);
}

// A rank's masked positions (re-based to its rows), its mlm loss summed and
// divided by the whole batch's count times the number of ranks.
torch::Tensor shardedMlmLoss(ProductModelImpl& model, const LossSetup& setup, const ProductForward& forward,
                             const MaskedBatch& masked, int64_t seqLength) {
  auto row = masked.positions.div(seqLength, "floor");
  auto mine = ((row >= setup.shardBegin) & (row < setup.shardEnd)).nonzero().squeeze(1);
  if (mine.numel() == 0) return {};
  MaskedBatch local;
  local.positions = onDevice(setup, masked.positions.index_select(0, mine) - setup.shardBegin * seqLength);
  local.targets = onDevice(setup, masked.targets.index_select(0, mine));
  const double share = static_cast<double>(mine.numel()) * setup.ranks / static_cast<double>(masked.positions.numel());
  return mlmLoss(model, forward, local) * share;
}

// CLIP: each product's text and picture are a positive pair, the batch's
// other pictures and texts its negatives.
torch::Tensor clipLoss(const ProductForward& forward, double temperature) {
  auto rows = forward.imagePresent.nonzero().squeeze(1);
  if (rows.numel() < 2) return {};
  auto opts = F::NormalizeFuncOptions().dim(1).eps(1e-8);
  auto text = F::normalize(forward.text.pooled.index_select(0, rows), opts);
  auto image = F::normalize(forward.image.index_select(0, rows), opts);
  return infoNce(text, image, temperature);
}
}  // namespace

StepLosses computeLosses(ProductModelImpl& model, const LossSetup& setup, const Batch& batch,
                         torch::Generator& generator, const Batch* secondView) {
  const RunConfig& config = *setup.config;
  StepLosses losses;
  losses.tokens = myRows(setup, batch.mask).sum().item<int64_t>();

  torch::Tensor ids = batch.ids;
  torch::Tensor attributes = batch.attributes;
  MaskedBatch masked;
  bool useMlm = config.uses("mlm") && model.hasText();
  if (useMlm) {
    MaskingOptions o;
    o.rate = config.maskRate;
    o.wholeWord = config.wholeWordMask;
    o.maskId = Tokenizer::kMask;
    o.firstOrdinaryId = Tokenizer::kMask + 1;
    o.vocabSize = setup.vocabSize;
    masked = maskTokens(batch.ids, batch.maskable, batch.wordStarts, o, generator);
    ids = masked.inputIds;
  }
  HiddenAttributes hidden;
  bool useAttr = config.uses("attr") && !setup.attrTargetColumns.empty();
  if (useAttr) {
    hidden = hideAttributes(batch.attributes, setup.attrTargetColumns, generator);
    attributes = hidden.codes;
  }
  torch::Tensor firstMask = batch.mask;
  if (config.uses("contrastive") && config.firstViewWordDrop > 0 && model.hasText()) {
    firstMask =
        dropWords(batch.mask, batch.maskable, batch.wordStarts, config.firstViewWordDrop, generator);
  }
  // Pictures leave the fused vector only where something else describes the product.
  const bool dropsPictures = model.hasImage() && model.hasOtherThanImage() && config.modalityDropout > 0;
  auto present = [&](const Batch& b) {
    return dropsPictures ? dropPictures(b.imagePresent, config.modalityDropout, generator) : b.imagePresent;
  };
  auto mine = [&setup](const torch::Tensor& t) { return myRows(setup, t); };
  ProductForward corrupted =
      model.forward(mine(ids), mine(firstMask), mine(attributes), mine(batch.images), mine(present(batch)));
  if (useMlm && masked.positions.numel() > 0) {
    add(losses, "mlm",
        setup.sharded() ? shardedMlmLoss(model, setup, corrupted, masked, batch.ids.size(1))
                        : mlmLoss(model, corrupted,
                                  MaskedBatch{masked.inputIds, onDevice(setup, masked.positions),
                                              onDevice(setup, masked.targets)}),
        config.weight("mlm"));
  }
  if (useAttr) {
    HiddenAttributes myHidden{mine(hidden.codes), mine(hidden.hiddenColumn)};
    add(losses, "attr", attrLoss(model, corrupted, mine(batch.attributes), myHidden), config.weight("attr"));
  }
  if (config.uses("mim") && model.hasImage()) {
    add(losses, "mim", mimLoss(model, setup, batch, generator), config.weight("mim"));
  }
  if (config.uses("clip") && model.hasImage() && model.hasText()) {
    add(losses, "clip", clipLoss(corrupted, config.temperature), config.weight("clip"));
  }
  if (config.uses("contrastive")) {
    // The second view: the clean text, or with whole words left out.
    const Batch& source = secondView ? *secondView : batch;
    torch::Tensor viewMask = source.mask;
    if (config.viewWordDrop > 0 && model.hasText()) {
      viewMask = dropWords(source.mask, source.maskable, source.wordStarts, config.viewWordDrop, generator);
    }
    ProductForward view = model.forward(mine(source.ids), mine(viewMask), mine(source.attributes),
                                        mine(source.images), mine(present(source)));
    torch::Tensor extra;
    if (setup.queue && setup.queue->embeddings.defined()) extra = setup.queue->embeddings;
    add(losses, "contrastive", infoNce(corrupted.embedding, view.embedding, config.temperature, extra),
        config.weight("contrastive"));
    if (setup.queue && setup.queue->capacity > 0) setup.queue->push(view.embedding);
    if (config.uses("neighbours") && setup.support) {
      addNeighbourLoss(losses, setup, corrupted.embedding, view.embedding);
    }
  }
  return losses;
}

void addCopurchaseLoss(ProductModelImpl& model, const LossSetup& setup, const Batch& anchors,
                       const Batch& partners, StepLosses& losses) {
  auto a = forwardBatch(model, batchOn(anchors, setup.device));
  auto b = forwardBatch(model, batchOn(partners, setup.device));
  add(losses, "copurchase", infoNce(a.embedding, b.embedding, setup.config->temperature),
      setup.config->weight("copurchase"));
  losses.tokens += anchors.mask.sum().item<int64_t>() + partners.mask.sum().item<int64_t>();
}

}  // namespace pl
