// predictWithRun: a fine-tuned run labels the products (all, or those
// without the label), and the predictions are stored with the run.
#include <unordered_set>

#include "embed/run_model.h"
#include "eval/eval_results.h"
#include "eval/label_field.h"
#include "eval/neighbour_eval.h"
#include "finetune/finetune_classifier.h"
#include "finetune/finetune_job.h"
#include "finetune/finetune_store.h"
#include "model/torch_runtime.h"

namespace pl {

Result<int64_t> predictWithRun(Project& project, const std::string& runName, bool unlabelledOnly,
                               JobContext& context) {
  Database& db = project.db();
  try {
    auto run = findRun(db, runName);
    if (!run) return Error{"there is no run named '" + runName + "'"};
    auto head = loadFinetuneHead(db, run->id);
    if (!head) {
      return Error{"run '" + runName + "' is not a fine-tuned classifier; fine-tune a run on a label first"};
    }
    context.progress(0, 1, "Tokenizing products");
    ProductCorpus corpus;
    auto model = loadRunModel(project, runName, &corpus);
    if (!model) return model.error();
    if (!model->checkpointWarning.empty()) context.log(LogLevel::Warning, model->checkpointWarning);
    if (model->config.embeddingDim != head->dim) {
      return Error{"run '" + runName + "': its classifier does not fit its encoder (damaged project?)"};
    }
    setTorchThreads(model->config.threads);

    std::vector<int32_t> items;
    std::unordered_set<int64_t> labelled;
    if (unlabelledOnly) {
      auto label = resolveLabelField(db, head->labelName);
      if (!label) return label.error();
      auto known = loadLabelledItems(db, *label);
      labelled.insert(known.rowIds.begin(), known.rowIds.end());
    }
    for (size_t i = 0; i < corpus.size(); ++i) {
      if (!labelled.count(corpus.rowIds[i])) items.push_back(static_cast<int32_t>(i));
    }
    std::vector<ProductPrediction> predictions;
    predictions.reserve(items.size());
    const size_t block = 4096;
    for (size_t start = 0; start < items.size(); start += block) {
      if (context.stopRequested()) return Error{"prediction cancelled; the previous predictions are kept"};
      std::vector<int32_t> part(items.begin() + static_cast<std::ptrdiff_t>(start),
                                items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), start + block)));
      std::vector<int32_t> classes;
      std::vector<float> confidence;
      predictClasses(headLogits(*head, embedItems(*model->model, corpus, part)), classes, confidence);
      for (size_t r = 0; r < part.size(); ++r) {
        predictions.push_back({corpus.rowIds[static_cast<size_t>(part[r])],
                               head->classNames[static_cast<size_t>(classes[r])], confidence[r]});
      }
      context.progress(static_cast<int64_t>(start + part.size()), static_cast<int64_t>(items.size()),
                       "Predicting labels");
    }
    context.progress(0, 1, "Storing predictions");
    savePredictions(db, run->id, head->labelName, predictions);
    return static_cast<int64_t>(predictions.size());
  } catch (const StoreError& e) {
    return Error{"prediction could not write to " + project.path() + ": " + e.what()};
  } catch (const c10::Error& e) {
    return Error{std::string("prediction failed inside LibTorch: ") + e.what_without_backtrace()};
  }
}

}  // namespace pl
