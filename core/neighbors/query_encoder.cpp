#include "neighbors/query_encoder.h"

#include <torch/torch.h>

#include "embed/run_model.h"
#include "embed/whitening.h"
#include "train/batching.h"

namespace pl {

namespace {

class RunQueryEncoder final : public QueryEncoder {
 public:
  RunQueryEncoder(RunModel model, Whitening whitening)
      : model_(std::move(model)), whitening_(std::move(whitening)) {}

  Result<std::vector<float>> encode(const std::string& text) override {
    // A one-product corpus built the way loadProductCorpus builds one: the
    // text takes the first text input's place ([CLS] + pieces, as long as the
    // run's max length allows), every attribute is unknown. collate() and the
    // forward pass are then the embedding job's own.
    ProductCorpus corpus;
    corpus.rowIds = {0};
    std::vector<bool> wordStarts;
    const int room = static_cast<int>(model_.config.maxLength) - 1;
    std::vector<int> pieces;
    if (room > 0) pieces = model_.tokenizer.encode(text, wordStarts, room);
    std::vector<int32_t> tokens = {Tokenizer::kCls};
    std::vector<uint8_t> starts = {1};
    for (size_t i = 0; i < pieces.size(); ++i) {
      tokens.push_back(pieces[i]);
      starts.push_back(wordStarts[i] ? 1 : 0);
    }
    corpus.tokens = {tokens};
    corpus.wordStarts = {starts};
    for (const auto& name : model_.config.attributeInputs()) {
      AttributeColumn column;
      column.name = name;
      column.codes = {kAttributeUnknown};
      corpus.attributes.push_back(std::move(column));
    }
    try {
      torch::NoGradGuard noGrad;
      Batch batch = collate(corpus, {0});
      auto vector = forwardBatch(*model_.model, batch).embedding;
      // Stored vectors went through the run's whitening; a query must too.
      if (whitening_.defined()) vector = whitening_.apply(vector);
      vector = vector.contiguous();
      return std::vector<float>(vector.data_ptr<float>(),
                                vector.data_ptr<float>() + vector.numel());
    } catch (const c10::Error& e) {
      return Error{std::string("the query could not be encoded: ") + e.what_without_backtrace()};
    }
  }

 private:
  RunModel model_;
  Whitening whitening_;
};

}  // namespace

Result<std::unique_ptr<QueryEncoder>> QueryEncoder::open(Project& project,
                                                         const std::string& runName) {
  try {
    auto model = loadRunModel(project, runName);
    if (!model) return model.error();
    // The stored vectors came from the newest checkpoint: a query encoded by
    // an older one would be compared with vectors of another model.
    if (!model->checkpointWarning.empty()) {
      return Error{"run '" + runName + "': " + model->checkpointWarning +
                   "; its stored vectors are the newest's, so text queries are refused until the run "
                   "is resumed (or trained again) and embedded"};
    }
    if (model->config.textInputs().empty()) {
      return Error{"run '" + runName +
                   "' has no text input (title or description), so it cannot embed a "
                   "text query; search by --product instead"};
    }
    Whitening whitening =
        Whitening::deserialize(loadEmbeddingTransform(project.db(), model->run.id));
    return std::unique_ptr<QueryEncoder>(
        std::make_unique<RunQueryEncoder>(std::move(*model), std::move(whitening)));
  } catch (const StoreError& e) {
    return Error{"cannot read run '" + runName + "' from " + project.path() + ": " + e.what()};
  } catch (const c10::Error& e) {
    return Error{std::string("the run's model could not be loaded: ") + e.what_without_backtrace()};
  }
}

}  // namespace pl
