#include "train/training_step.h"

#include "text/tokenizer.h"
#include "train/objectives.h"

namespace pl {

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
}  // namespace

StepLosses computeLosses(ProductModelImpl& model, const LossSetup& setup, const Batch& batch,
                         torch::Generator& generator, const Batch* secondView) {
  const RunConfig& config = *setup.config;
  StepLosses losses;
  losses.tokens = batch.mask.sum().item<int64_t>();

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
  ProductForward corrupted = model.forward(ids, firstMask, attributes);
  if (useMlm && masked.positions.numel() > 0) {
    add(losses, "mlm", mlmLoss(model, corrupted, masked), config.weight("mlm"));
  }
  if (useAttr) add(losses, "attr", attrLoss(model, corrupted, batch.attributes, hidden), config.weight("attr"));
  if (config.uses("contrastive")) {
    // The second view: the clean text, or with whole words left out.
    const Batch& source = secondView ? *secondView : batch;
    torch::Tensor viewMask = source.mask;
    if (config.viewWordDrop > 0 && model.hasText()) {
      viewMask = dropWords(source.mask, source.maskable, source.wordStarts, config.viewWordDrop, generator);
    }
    ProductForward view = model.forward(source.ids, viewMask, source.attributes);
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
  auto a = model.forward(anchors.ids, anchors.mask, anchors.attributes);
  auto b = model.forward(partners.ids, partners.mask, partners.attributes);
  add(losses, "copurchase", infoNce(a.embedding, b.embedding, setup.config->temperature),
      setup.config->weight("copurchase"));
  losses.tokens += anchors.mask.sum().item<int64_t>() + partners.mask.sum().item<int64_t>();
}

}  // namespace pl
