#include "finetune/finetune_job.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>

#include "eval/eval_results.h"
#include "eval/linear_probe.h"
#include "finetune/finetune_classifier.h"
#include "finetune/finetune_data.h"
#include "finetune/finetune_store.h"
#include "model/torch_runtime.h"
#include "store/run_store.h"
#include "train/batching.h"
#include "train/checkpoint.h"
#include "train/fused_adamw.h"
#include "train/lr_schedule.h"
#include "train/pretrain_job.h"

namespace pl {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Labelled corpus indices with their classes.
struct LabelledRows {
  std::vector<int32_t> items;
  std::vector<int64_t> labels;  // int64: what cross_entropy takes
  torch::Tensor target() const { return torch::tensor(labels, torch::kInt64); }
};

/// Everything one fine-tuning run holds.
struct Session {
  Database* db = nullptr;
  const FinetuneOptions* options = nullptr;
  FinetuneData data;
  RunConfig config;
  std::optional<RunRecord> base;
  int64_t runId = 0;
  std::string dir;
  std::optional<Tokenizer> tokenizer;
  ProductCorpus corpus;
  LabelledRows training, validation, test;
  std::vector<int32_t> positionOf;  // corpus index -> position in training (-1: not there)
  ProductModel model{nullptr};
  torch::nn::Linear head{nullptr};
  double scale = 1;
  std::unique_ptr<FusedAdamW> encoderOptimizer, headOptimizer;
  torch::Tensor trainFeatures, validationFeatures;  // probe: the frozen encoder's vectors
  std::vector<MetricPoint> pending;
  Clock::time_point start = Clock::now();
  int64_t step = 0;
};

Status checkOptions(const FinetuneOptions& o) {
  if (o.runName.empty()) return Error{"the fine-tuned run needs a name"};
  if (o.label.empty()) return Error{"choose the label field to fine-tune on"};
  if (o.maxEpochs < 1) return Error{"the number of epochs must be at least 1"};
  if (o.patience < 1) return Error{"the patience must be at least 1 epoch"};
  if (o.batch < 2) return Error{"the batch must hold at least 2 products"};
  if (!(o.headLr > 0) || !(o.encoderLr > 0)) return Error{"learning rates must be positive"};
  if (!(o.validationFraction >= 0 && o.validationFraction < 1)) {
    return Error{"the validation fraction must be in [0, 1)"};
  }
  return Status::success();
}

// The base run (or the scratch config) after the leak guard.
Status chooseEncoder(Session& s) {
  const FinetuneOptions& o = *s.options;
  if (!o.baseRun.empty()) {
    s.base = findRun(*s.db, o.baseRun);
    if (!s.base) return Error{"there is no run named '" + o.baseRun + "' to fine-tune"};
    auto config = RunConfig::fromJson(s.base->configJson, "run '" + o.baseRun + "'");
    if (!config) return config.error();
    s.config = *config;
    if (!latestCheckpoint(*s.db, s.base->id)) {
      return Error{"run '" + o.baseRun + "' has no checkpoint yet; pretrain it first"};
    }
    return checkNoLabelLeak(s.config, s.data.label, o.baseRun);
  }
  s.config = o.scratchConfig;
  bool hasBaskets = s.db->scalar("SELECT count(*) FROM basket_items") > 0;
  if (Status v = s.config.validate(hasBaskets); !v) return v.error();
  return checkNoLabelLeak(s.config, s.data.label, o.runName);
}

LabelledRows rowsOf(const std::unordered_map<int64_t, int32_t>& indexOf,
                    const std::unordered_map<int64_t, int32_t>& classOf, const std::vector<int64_t>& ids) {
  LabelledRows rows;
  for (int64_t id : ids) {
    auto it = indexOf.find(id);
    if (it == indexOf.end()) continue;
    rows.items.push_back(it->second);
    rows.labels.push_back(classOf.at(id));
  }
  return rows;
}

// Full mode starts from a head fitted on the frozen encoder (LP-FT, Kumar et
// al. 2022): a random head's first gradients would otherwise flow back into
// the encoder and wreck what pretraining learnt before the head is any good,
// and a subset of a few hundred products gives too few steps to recover.
// The scratch control gets the same treatment, on its random features.
Status warmStartHead(Session& s, JobContext& context) {
  context.progress(0, 1, "Embedding the labelled products");
  torch::Tensor features = embedItems(*s.model, s.corpus, s.training.items);
  if (features.size(0) == 0) return Status::success();
  std::vector<float> rows(features.data_ptr<float>(), features.data_ptr<float>() + features.numel());
  std::vector<int32_t> labels(s.training.labels.begin(), s.training.labels.end());
  ProbeOptions probe;
  probe.seed = s.options->seed;
  const int classes = static_cast<int>(s.data.items.classNames.size());
  auto fitted = trainDenseProbe(rows, features.size(1), labels, classes, probe, context);
  if (!fitted) {
    if (context.stopRequested()) return Status::success();  // stopped: the random head stays
    return fitted.error();
  }
  torch::NoGradGuard noGrad;
  // The probe's weights are inputs x classes on unit vectors; the head's are
  // classes x inputs on vectors scaled by s.scale.
  auto w = torch::from_blob(fitted->weights.data(), {fitted->inputs, classes}, torch::kFloat);
  s.head->weight.copy_(w.t() / s.scale);
  s.head->bias.copy_(torch::from_blob(fitted->bias.data(), {classes}, torch::kFloat));
  torch::manual_seed(s.options->seed);  // the probe reseeded the generator; dropout follows the run's seed
  return Status::success();
}

Status prepareModel(Session& s, JobContext& context) {
  const FinetuneOptions& o = *s.options;
  std::error_code fsError;
  std::filesystem::create_directories(s.dir, fsError);
  if (fsError) return Error{"cannot create folder " + s.dir + ": " + fsError.message()};
  if (s.base) {
    saveRunTokenizer(*s.db, s.runId, loadRunTokenizer(*s.db, s.base->id));
    auto tokenizer = restoreRunTokenizer(*s.db, s.runId, s.dir);
    if (!tokenizer) return tokenizer.error();
    s.tokenizer.emplace(std::move(*tokenizer));
  } else {
    context.progress(0, 1, "Training tokenizer");
    auto tokenizer = trainRunTokenizer(*s.db, s.runId, s.config, s.dir);
    if (!tokenizer) return tokenizer.error();
    s.tokenizer.emplace(std::move(*tokenizer));
  }
  context.progress(0, 1, "Tokenizing products");
  auto corpus = loadProductCorpus(*s.db, s.config, *s.tokenizer);
  if (!corpus) return corpus.error();
  s.corpus = std::move(*corpus);
  std::unordered_map<int64_t, int32_t> indexOf, classOf;
  for (size_t i = 0; i < s.corpus.size(); ++i) indexOf.emplace(s.corpus.rowIds[i], static_cast<int32_t>(i));
  for (size_t i = 0; i < s.data.items.rowIds.size(); ++i) classOf.emplace(s.data.items.rowIds[i], s.data.items.labels[i]);
  s.training = rowsOf(indexOf, classOf, s.data.training);
  s.validation = rowsOf(indexOf, classOf, s.data.validation);
  s.test = rowsOf(indexOf, classOf, s.data.split.testIds);
  s.positionOf.assign(s.corpus.size(), -1);
  for (size_t i = 0; i < s.training.items.size(); ++i) {
    s.positionOf[static_cast<size_t>(s.training.items[i])] = static_cast<int32_t>(i);
  }

  setTorchThreads(o.threads);
  torch::manual_seed(o.seed);
  s.model = ProductModel(s.config, attributeCardinalities(s.corpus), s.tokenizer->vocabSize());
  if (s.base) {
    TrainingPosition ignored;
    auto restored = loadNewestCheckpoint(*s.db, s.base->id, *s.model, nullptr, ignored);
    if (!restored) return restored.error();
    if (!restored->warning.empty()) context.log(LogLevel::Warning, restored->warning);
  }
  const int classes = static_cast<int>(s.data.items.classNames.size());
  s.head = torch::nn::Linear(s.config.embeddingDim, classes);
  s.scale = classifierInputScale(s.config.embeddingDim);
  FusedAdamWOptions adam;
  adam.lr = o.headLr;
  adam.weightDecay = o.weightDecay;
  s.headOptimizer = std::make_unique<FusedAdamW>(s.head->parameters(), adam);
  adam.lr = s.base ? o.encoderLr : o.headLr;
  s.encoderOptimizer = std::make_unique<FusedAdamW>(s.model->parameters(), adam);
  if (o.mode == FinetuneMode::Probe) {
    // A frozen encoder gives the same vectors every epoch: compute them once.
    context.progress(0, 1, "Embedding the labelled products");
    s.trainFeatures = embedItems(*s.model, s.corpus, s.training.items);
    s.validationFeatures = embedItems(*s.model, s.corpus, s.validation.items);
    for (auto& p : s.model->parameters()) p.set_requires_grad(false);
    return Status::success();
  }
  return warmStartHead(s, context);
}

// Weights of the model and head, to keep the best epoch's.
std::vector<torch::Tensor> snapshot(Session& s) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> out;
  for (auto& p : s.model->parameters()) out.push_back(p.detach().clone());
  for (auto& b : s.model->buffers()) out.push_back(b.detach().clone());
  for (auto& p : s.head->parameters()) out.push_back(p.detach().clone());
  return out;
}

void restore(Session& s, const std::vector<torch::Tensor>& saved) {
  torch::NoGradGuard noGrad;
  size_t i = 0;
  for (auto& p : s.model->parameters()) p.copy_(saved[i++]);
  for (auto& b : s.model->buffers()) b.copy_(saved[i++]);
  for (auto& p : s.head->parameters()) p.copy_(saved[i++]);
}

torch::Tensor logitsOf(Session& s, const torch::Tensor& embeddings) {
  return s.head->forward(embeddings * s.scale);
}

// Loss and accuracy on the validation slice.
std::pair<double, double> validate(Session& s) {
  torch::NoGradGuard noGrad;
  torch::Tensor vectors = s.options->mode == FinetuneMode::Probe
                              ? s.validationFeatures
                              : embedItems(*s.model, s.corpus, s.validation.items);
  s.model->train();
  auto logits = logitsOf(s, vectors);
  auto target = s.validation.target();
  double loss = torch::nn::functional::cross_entropy(logits, target).item<double>();
  double accuracy = logits.argmax(1).eq(target).to(torch::kFloat64).mean().item<double>();
  return {loss, accuracy};
}

ClassificationScores scoreTest(Session& s) {
  torch::NoGradGuard noGrad;
  auto logits = logitsOf(s, embedItems(*s.model, s.corpus, s.test.items));
  std::vector<int32_t> predicted;
  std::vector<float> confidence;
  predictClasses(logits, predicted, confidence);
  std::vector<int32_t> truth(s.test.labels.begin(), s.test.labels.end());
  return scoreClassification(truth, predicted, static_cast<int>(s.data.items.classNames.size()));
}

void flush(Session& s, const std::string& status, const std::string& message, double epochs) {
  appendMetrics(*s.db, s.runId, s.pending);
  s.pending.clear();
  updateRunProgress(*s.db, s.runId, status, message, s.step, epochs, secondsSince(s.start));
}

// One optimizer step on one batch; returns the loss.
double trainStep(Session& s, const std::vector<int32_t>& positions, double headLr, double encoderLr) {
  std::vector<int64_t> labels;
  labels.reserve(positions.size());
  for (int32_t p : positions) labels.push_back(s.training.labels[p]);
  torch::Tensor vectors;
  const bool full = s.options->mode == FinetuneMode::Full;
  if (full) {
    std::vector<int32_t> items;
    items.reserve(positions.size());
    for (int32_t p : positions) items.push_back(s.training.items[p]);
    Batch batch = collate(s.corpus, items);
    vectors = forwardBatch(*s.model, batch).embedding;
  } else {
    vectors = s.trainFeatures.index_select(0, torch::tensor(std::vector<int64_t>(positions.begin(), positions.end())));
  }
  auto loss = torch::nn::functional::cross_entropy(logitsOf(s, vectors), torch::tensor(labels, torch::kInt64));
  s.headOptimizer->zeroGrad();
  s.headOptimizer->setLr(headLr);
  if (full) {
    s.encoderOptimizer->zeroGrad();
    s.encoderOptimizer->setLr(encoderLr);
  }
  loss.backward();
  auto params = s.head->parameters();
  if (full) {
    auto encoder = s.model->parameters();
    params.insert(params.end(), encoder.begin(), encoder.end());
  }
  torch::nn::utils::clip_grad_norm_(params, s.config.clipNorm > 0 ? s.config.clipNorm : 1.0);
  s.headOptimizer->step();
  if (full) s.encoderOptimizer->step();
  return loss.item<double>();
}

// Batches of positions into s.training: length-bucketed, as in pretraining
// (less padding when the encoder runs).
std::vector<std::vector<int32_t>> epochPositions(Session& s, int epoch) {
  auto batches = epochBatches(s.corpus, s.training.items, s.options->batch, s.options->seed, epoch);
  for (auto& batch : batches) {
    for (int32_t& item : batch) item = s.positionOf[static_cast<size_t>(item)];
  }
  return batches;
}

Result<FinetuneReport> train(Session& s, JobContext& context) {
  const FinetuneOptions& o = *s.options;
  FinetuneReport report;
  report.runId = s.runId;
  report.trainItems = static_cast<int64_t>(s.training.items.size());
  report.validationItems = static_cast<int64_t>(s.validation.items.size());
  report.droppedTestItems = s.data.droppedTestItems;
  const int64_t stepsPerEpoch = static_cast<int64_t>(epochPositions(s, 0).size());
  if (stepsPerEpoch == 0) return Error{"no labelled training products are left to train on"};
  const int64_t totalSteps = stepsPerEpoch * o.maxEpochs;
  const int64_t warmup = std::max<int64_t>(1, static_cast<int64_t>(0.06 * static_cast<double>(totalSteps)));
  const double encoderPeak = s.base ? o.encoderLr : o.headLr;
  std::vector<torch::Tensor> best;
  double bestAccuracy = -1, bestLoss = INFINITY;
  int epochsWithoutGain = 0;
  std::string status = "finished";
  updateRunProgress(*s.db, s.runId, "running", "", 0, 0, 0);
  auto better = [&](double loss, double accuracy) {
    // Higher accuracy, or the same with a lower loss (small slices tie often).
    // A loss lower only by rounding (1e-6 relative) is no gain: otherwise a
    // stalled run keeps "improving" by float noise, differently on each CPU's
    // BLAS kernels, and early stopping depends on the machine.
    return accuracy > bestAccuracy || (accuracy == bestAccuracy && loss < bestLoss - 1e-6 * std::abs(bestLoss));
  };
  auto recordValidation = [&](double loss, double accuracy) {
    const double wall = secondsSince(s.start);
    s.pending.push_back({"val/loss", s.step, loss, wall});
    s.pending.push_back({"val/accuracy", s.step, accuracy, wall});
    context.metrics(s.step, {{"val/loss", loss}, {"val/accuracy", accuracy}, {"wall_s", wall}});
  };
  if (o.mode == FinetuneMode::Full && !s.validation.items.empty()) {
    // The warm-started head on the untouched encoder is epoch 0: if training
    // the encoder never beats it, these are the weights kept.
    auto [loss, accuracy] = validate(s);
    recordValidation(loss, accuracy);
    bestAccuracy = accuracy;
    bestLoss = loss;
    best = snapshot(s);
  }
  s.model->train();
  for (int epoch = 0; epoch < o.maxEpochs && status == "finished"; ++epoch) {
    auto batches = epochPositions(s, epoch);
    for (size_t b = 0; b < batches.size(); ++b) {
      while (context.pauseRequested() && !context.stopRequested()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (context.stopRequested()) {
        status = "stopped";
        break;
      }
      const double factor = learningRateAt(s.step, totalSteps, warmup, 1.0, "cosine");
      double loss = trainStep(s, batches[b], factor * o.headLr, factor * encoderPeak);
      if (!std::isfinite(loss)) {
        std::string msg = "the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                          " at step " + std::to_string(s.step + 1) + "; try a lower learning rate";
        flush(s, "failed", msg, epoch);
        return Error{msg};
      }
      ++s.step;
      std::map<std::string, double> values{
          {"loss", loss}, {"lr", factor * o.headLr}, {"epoch", epoch + double(b + 1) / double(batches.size())}};
      if (o.mode == FinetuneMode::Full) values["lr/encoder"] = factor * encoderPeak;
      const double wall = secondsSince(s.start);
      for (const auto& [k, v] : values) s.pending.push_back({k, s.step, v, wall});
      values["wall_s"] = wall;
      context.metrics(s.step, values);
      context.progress(s.step, totalSteps, "Fine-tuning");
    }
    if (status != "finished") break;
    report.epochs = epoch + 1;
    if (s.validation.items.empty()) {
      report.bestEpoch = epoch + 1;  // nothing to choose by: the last epoch
      flush(s, "running", "", epoch + 1);
      continue;
    }
    auto [loss, accuracy] = validate(s);
    recordValidation(loss, accuracy);
    if (better(loss, accuracy)) {
      bestAccuracy = accuracy;
      bestLoss = loss;
      best = snapshot(s);
      report.bestEpoch = epoch + 1;
      epochsWithoutGain = 0;
    } else if (++epochsWithoutGain >= o.patience) {
      context.log(LogLevel::Info, "validation accuracy has not improved for " + std::to_string(o.patience) +
                                      " epochs; stopping early (best epoch " + std::to_string(report.bestEpoch) + ")");
      flush(s, "running", "", epoch + 1);
      break;
    }
    flush(s, "running", "", epoch + 1);
  }
  if (!best.empty()) restore(s, best);
  report.status = status;
  report.bestValidationAccuracy = std::max(bestAccuracy, 0.0);
  return report;
}

// The run's checkpoint (encoder) and classifier (head), so it can be
// embedded, explored and used for predictions.
Status saveRun(Session& s, const FinetuneReport& report) {
  const FinetuneOptions& o = *s.options;
  TrainingPosition position;
  position.step = s.step;
  position.epoch = report.epochs;
  position.elapsedSeconds = secondsSince(s.start);
  position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
  position.maskRngState = position.globalRngState;
  const std::string path = s.dir + "/finetuned.pt";
  auto sha = saveCheckpoint(path, *s.model, *s.encoderOptimizer, position);
  if (!sha) return sha.error();
  recordCheckpoint(*s.db, s.runId, s.step, path, *sha);

  FinetuneHead head;
  head.baseRun = o.baseRun;
  head.labelName = o.label;
  head.mode = finetuneModeName(o.mode);
  head.fraction = s.data.fraction;
  head.classNames = s.data.items.classNames;
  head.dim = s.config.embeddingDim;
  {
    torch::NoGradGuard noGrad;
    auto w = (s.head->weight * s.scale).contiguous();
    auto b = s.head->bias.contiguous();
    head.weight.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    head.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
  }
  nlohmann::json options = {{"mode", head.mode},
                            {"fraction", s.data.fraction},
                            {"hand_picked", !o.subsetIds.empty()},
                            {"validation_fraction", o.validationFraction},
                            {"max_epochs", o.maxEpochs},
                            {"patience", o.patience},
                            {"batch", o.batch},
                            {"head_lr", o.headLr},
                            {"encoder_lr", s.base ? o.encoderLr : o.headLr},
                            {"weight_decay", o.weightDecay},
                            {"seed", o.seed},
                            {"epochs", report.epochs},
                            {"best_epoch", report.bestEpoch}};
  head.optionsJson = options.dump();
  saveFinetuneHead(*s.db, s.runId, head);
  return Status::success();
}

}  // namespace

Result<FinetuneMode> parseFinetuneMode(const std::string& name) {
  if (name == "probe") return FinetuneMode::Probe;
  if (name == "full") return FinetuneMode::Full;
  return Error{"unknown fine-tuning mode '" + name + "' (probe, full)"};
}

std::string finetuneModeName(FinetuneMode mode) { return mode == FinetuneMode::Probe ? "probe" : "full"; }

Result<FinetuneReport> runFinetuning(Project& project, const FinetuneOptions& options, JobContext& context) {
  Session s;
  s.db = &project.db();
  s.options = &options;
  try {
    if (Status ok = checkOptions(options); !ok) return ok.error();
    if (findRun(*s.db, options.runName)) {
      return Error{"a run named '" + options.runName + "' already exists; choose another name"};
    }
    context.progress(0, 1, "Choosing labelled products");
    auto data = prepareFinetuneData(*s.db, options);
    if (!data) return data.error();
    s.data = std::move(*data);
    if (Status e = chooseEncoder(s); !e) return e.error();
    auto id = createRun(*s.db, options.runName, "finetune", s.config.toJson());
    if (!id) return id.error();
    s.runId = *id;
    if (s.base) {
      s.db->prepare("UPDATE runs SET parent_run_id = ? WHERE id = ?").bind(1, s.base->id).bind(2, s.runId).run();
    }
    s.dir = options.runDirectory.empty() ? defaultRunDirectory(project.path(), options.runName)
                                         : options.runDirectory;
    auto fail = [&](const Error& e) -> Result<FinetuneReport> {
      updateRunProgress(*s.db, s.runId, "failed", e.message, s.step, 0, secondsSince(s.start));
      return e;
    };
    if (Status m = prepareModel(s, context); !m) return fail(m.error());
    auto report = train(s, context);
    if (!report) return fail(report.error());
    context.progress(0, 1, "Scoring the test split");
    report->test = scoreTest(s);
    if (Status saved = saveRun(s, *report); !saved) return fail(saved.error());
    report->seconds = secondsSince(s.start);
    flush(s, report->status,
          report->status == "stopped" ? "stopped by request; the best weights so far are kept" : "",
          report->epochs);
    // A stopped run is kept and scored, but is not a point of the results
    // table: it would stand beside complete runs as if it were one.
    if (report->status == "finished") {
      EvalResult r;
      r.subject = options.runName;
      r.method = std::string(s.base ? "finetune-" : "scratch-") + finetuneModeName(options.mode);
      r.label = options.label;
      r.fraction = s.data.fraction;
      r.metrics = {{"accuracy", report->test.accuracy},
                   {"macro_f1", report->test.macroF1},
                   {"val_accuracy", report->bestValidationAccuracy}};
      r.trainItems = static_cast<int64_t>(s.data.subset.size());
      r.testItems = report->test.items;
      r.seconds = report->seconds;
      saveEvalResult(*s.db, r);
    }
    return report;
  } catch (const StoreError& e) {
    return Error{"fine-tuning could not write to " + project.path() + ": " + e.what()};
  } catch (const c10::Error& e) {
    std::string msg = std::string("fine-tuning failed inside LibTorch: ") + e.what_without_backtrace();
    if (s.runId) {
      try {
        updateRunProgress(*s.db, s.runId, "failed", msg, s.step, 0, secondsSince(s.start));
      } catch (...) {
      }
    }
    return Error{msg};
  }
}

}  // namespace pl
