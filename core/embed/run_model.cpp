#include "embed/run_model.h"

#include "train/checkpoint.h"
#include "train/pretrain_job.h"

namespace pl {

Result<RunModel> loadRunModel(Project& project, const std::string& runName, ProductCorpus* corpus) {
  Database& db = project.db();
  auto run = findRun(db, runName);
  if (!run) return Error{"there is no run named '" + runName + "'"};
  auto config = RunConfig::fromJson(run->configJson, "run '" + runName + "'");
  if (!config) return config.error();
  if (!latestCheckpoint(db, run->id)) return Error{"run '" + runName + "' has no checkpoint yet; train it first"};
  auto tokenizer = restoreRunTokenizer(db, run->id, defaultRunDirectory(project.path(), runName));
  if (!tokenizer) return tokenizer.error();

  // The attribute vocabularies depend on the whole catalog; tokenizing every
  // product's text is only worth it when the caller embeds them all.
  RunConfig readConfig = *config;
  if (!corpus) readConfig.inputs = config->attributeInputs();
  auto products = loadProductCorpus(db, readConfig, *tokenizer);
  if (!products) return products.error();
  std::vector<int64_t> cardinalities = attributeCardinalities(*products);
  if (corpus) *corpus = std::move(*products);

  ProductModel model(*config, cardinalities, tokenizer->vocabSize());
  TrainingPosition position;
  auto restored = loadNewestCheckpoint(db, run->id, *model, nullptr, position);
  if (!restored) return Error{"run '" + runName + "': " + restored.error().message};
  model->eval();
  return RunModel{std::move(*run), std::move(*config), std::move(*tokenizer), model,
                  std::move(cardinalities), restored->warning};
}

}  // namespace pl
