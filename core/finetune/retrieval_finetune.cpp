#include "finetune/retrieval_finetune.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "embed/run_model.h"
#include "eval/basket_eval.h"
#include "eval/basket_split.h"
#include "finetune/copurchase_pairs.h"
#include "model/torch_runtime.h"
#include "store/run_store.h"
#include "train/batching.h"
#include "train/checkpoint.h"
#include "train/lr_schedule.h"
#include "train/pretrain_job.h"
#include "train/objectives.h"

namespace pl {

namespace {

using Clock = std::chrono::steady_clock;

/// Everything one fine-tuning session holds.
struct Session {
  Database* db = nullptr;
  RunConfig config;  ///< the base run's, with the fine-tune's objective and settings
  int64_t runId = 0;
  std::string dir;
  ProductCorpus corpus;
  CopurchasePairs pairs;
  ProductModel model{nullptr};
  std::unique_ptr<FusedAdamW> optimizer;
  TrainingPosition position;
  std::vector<MetricPoint> pending;
  Clock::time_point started = Clock::now();
  double pausedSeconds = 0;
  bool inBatch = true;

  double elapsed() const {
    return std::chrono::duration<double>(Clock::now() - started).count() - pausedSeconds;
  }
};

/// The fine-tuned model: built from the new config (no heads the copurchase
/// loss does not need), with every weight it shares with the base model.
Status copyWeights(ProductModelImpl& from, ProductModelImpl& to) {
  torch::NoGradGuard noGrad;
  auto params = from.named_parameters(true);
  for (auto& p : to.named_parameters(true)) {
    const torch::Tensor* source = params.find(p.key());
    if (!source) return Error{"the base run's model has no weight '" + p.key() + "'"};
    p.value().copy_(*source);
  }
  auto buffers = from.named_buffers(true);
  for (auto& b : to.named_buffers(true)) {
    if (const torch::Tensor* source = buffers.find(b.key())) b.value().copy_(*source);
  }
  return Status::success();
}

Result<RunModel> openRun(Project& project, const RetrievalFinetuneOptions& o, Session& s) {
  s.db = &project.db();
  if (o.runName.empty()) return Error{"the fine-tuned run needs a name"};
  if (findRun(*s.db, o.runName)) {
    return Error{"a run named '" + o.runName + "' already exists; choose another name"};
  }
  auto base = loadRunModel(project, o.baseRun, &s.corpus);
  if (!base) return base.error();
  s.config = base->config;
  s.config.objectives = {{"copurchase", 1.0}};
  s.config.attrTargets.clear();
  s.config.epochs = o.epochs;
  s.config.maxSteps = 0;
  s.config.timeLimitMinutes = 0;
  s.config.lr = o.lr;
  s.config.warmupFraction = o.warmupFraction;
  s.config.seed = o.seed;
  if (o.batch > 0) s.config.batch = o.batch;
  if (o.temperature > 0) s.config.temperature = o.temperature;
  if (o.threads > 0) s.config.threads = o.threads;
  s.inBatch = o.inBatchNegatives || o.catalogNegatives <= 0;
  if (Status v = s.config.validate(true); !v) return v.error();
  if (o.epochs < 1) return Error{"the fine-tune needs at least one epoch"};
  if (!(o.lr > 0)) return Error{"the learning rate must be positive"};

  BasketSplit split = ensureBasketSplit(*s.db);
  s.pairs = splitCopurchasePairs(loadBaskets(*s.db, split, BasketSet::Training), s.corpus,
                                 o.validationFraction, o.seed, o.maxPairs);
  if (s.pairs.train.size() < 2 || s.pairs.validation.empty()) {
    return Error{"the project has too few training baskets with two or more products for a "
                 "retrieval fine-tune; import a baskets file first (import --baskets)"};
  }

  auto id = createRun(*s.db, o.runName, "finetune-retrieval", s.config.toJson());
  if (!id) return id.error();
  s.runId = *id;
  s.db->prepare("UPDATE runs SET parent_run_id = ? WHERE id = ?").bind(1, base->run.id).bind(2, s.runId).run();
  s.dir = o.runDirectory.empty() ? defaultRunDirectory(project.path(), o.runName) : o.runDirectory;
  std::error_code fsError;
  std::filesystem::create_directories(s.dir, fsError);
  if (fsError) return Error{"cannot create folder " + s.dir + ": " + fsError.message()};
  // The same tokenizer as the base run: the weights index its pieces.
  saveRunTokenizer(*s.db, s.runId, loadRunTokenizer(*s.db, base->run.id));

  setTorchThreads(s.config.threads);
  torch::manual_seed(s.config.seed);
  s.model = ProductModel(s.config, base->attributeCardinalities, base->tokenizer.vocabSize());
  if (Status c = copyWeights(*base->model, *s.model); !c) return c.error();
  FusedAdamWOptions adam;
  adam.lr = s.config.lr;
  adam.weightDecay = s.config.weightDecay;
  s.optimizer = std::make_unique<FusedAdamW>(s.model->parameters(), adam);
  return base;
}

/// Uniform draws from the catalog (corpus indices).
std::vector<int32_t> drawNegatives(const Session& s, int count, uint64_t stream) {
  std::mt19937_64 rng(s.config.seed * 6364136223846793005ULL + stream);
  std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(s.corpus.size()) - 1);
  std::vector<int32_t> drawn(static_cast<size_t>(std::max(count, 0)));
  for (auto& d : drawn) d = pick(rng);
  return drawn;
}

/// Symmetric InfoNCE of the pairs (train/objectives.h infoNce, the
/// copurchase objective) with `negatives` as further negatives on both
/// sides. A drawn product that is the row's own anchor or partner is masked:
/// it is no negative.
torch::Tensor pairLoss(Session& s, const std::vector<CopurchasePair>& pairs, const std::vector<size_t>& batch,
                       const std::vector<int32_t>& negatives) {
  std::vector<int32_t> anchors, partners;
  for (size_t p : batch) {
    anchors.push_back(pairs[p].first);
    partners.push_back(pairs[p].second);
  }
  auto embed = [&](const std::vector<int32_t>& items) {
    Batch b = collate(s.corpus, items);
    return forwardBatch(*s.model, b).embedding;
  };
  torch::Tensor a = embed(anchors), b = embed(partners);
  if (negatives.empty()) return infoNce(a, b, s.config.temperature);
  const double t = s.config.temperature;
  auto asIds = [](const std::vector<int32_t>& v) {
    return torch::tensor(std::vector<int64_t>(v.begin(), v.end()), torch::kInt64);
  };
  torch::Tensor n = embed(negatives);
  torch::Tensor drawn = asIds(negatives).unsqueeze(0);
  torch::Tensor same = asIds(anchors).unsqueeze(1).eq(drawn).logical_or(asIds(partners).unsqueeze(1).eq(drawn));
  auto labels = torch::arange(a.size(0), torch::TensorOptions().dtype(torch::kInt64));
  auto an = (torch::mm(a, n.t()) / t).masked_fill(same, -1e9);
  auto bn = (torch::mm(b, n.t()) / t).masked_fill(same, -1e9);
  if (!s.inBatch) {
    // Catalog negatives only: the positive is column 0 of each row.
    auto positive = ((a * b).sum(1, true)) / t;
    auto zeros = torch::zeros({a.size(0)}, torch::TensorOptions().dtype(torch::kInt64));
    return 0.5 * (torch::nn::functional::cross_entropy(torch::cat({positive, an}, 1), zeros) +
                  torch::nn::functional::cross_entropy(torch::cat({positive, bn}, 1), zeros));
  }
  auto ab = torch::mm(a, b.t()) / t;
  return 0.5 * (torch::nn::functional::cross_entropy(torch::cat({ab, an}, 1), labels) +
                torch::nn::functional::cross_entropy(torch::cat({ab.t(), bn}, 1), labels));
}

/// Validation: the mean loss over fixed batches of the validation pairs (at
/// most 64, with fixed negatives) and Recall@10 of the validation baskets
/// against the whole catalog, as the test scores the held-out ones.
struct Validation {
  double loss = NAN;
  double recall = 0;
};

Validation validate(Session& s, const RetrievalFinetuneOptions& o, JobContext& context) {
  torch::NoGradGuard noGrad;
  s.model->eval();
  Validation v;
  auto batches = conflictFreeBatches(s.pairs.validation, s.config.batch, s.config.seed + 7, 0);
  if (batches.size() > 64) batches.resize(64);
  double sum = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    sum += pairLoss(s, s.pairs.validation, batches[i], drawNegatives(s, o.catalogNegatives, 1'000'000 + i))
               .item<double>();
  }
  if (!batches.empty()) v.loss = sum / static_cast<double>(batches.size());

  auto matrix = std::make_shared<EmbeddingMatrix>();
  matrix->rowIds = s.corpus.rowIds;  // ascending, as EmbeddingMatrix wants
  std::vector<int32_t> items(s.corpus.size());
  for (size_t i = 0; i < items.size(); ++i) items[i] = static_cast<int32_t>(i);
  for (const auto& b : sequentialBatches(items, 512)) {
    Batch batch = collate(s.corpus, b);
    auto e = forwardBatch(*s.model, batch).embedding.contiguous();
    matrix->dim = e.size(1);
    matrix->values.insert(matrix->values.end(), e.data_ptr<float>(), e.data_ptr<float>() + e.numel());
  }
  BasketQueryOptions qo;
  qo.maxQueries = o.validationQueries;
  qo.seed = s.config.seed;
  auto queries = basketQueries(s.pairs.validationSet, [&](int64_t id) { return matrix->indexOf(id) >= 0; }, qo);
  JobContext quiet;  // progress of this inner search would hide the fine-tune's
  v.recall = scoreBasketQueries(queries, rankByEmbeddings(matrix, queries, 10, quiet), 10).recallAtK;
  s.model->train();
  return v;
}

void flush(Session& s, const std::string& status, const std::string& message) {
  appendMetrics(*s.db, s.runId, s.pending);
  s.pending.clear();
  updateRunProgress(*s.db, s.runId, status, message, s.position.step,
                    static_cast<double>(s.position.epoch), s.elapsed());
}

/// Saves the current weights as the run's checkpoint (the newest two kept).
Status checkpoint(Session& s) {
  s.position.elapsedSeconds = s.elapsed();
  s.position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
  s.position.maskRngState = s.position.globalRngState;
  auto path = saveRunCheckpoint(*s.db, s.runId, s.dir, *s.model, *s.optimizer, s.position);
  if (!path) return path.error();
  return Status::success();
}

void reportValidation(Session& s, const Validation& v, JobContext& context) {
  const double wall = s.elapsed();
  s.pending.push_back({"val/loss", s.position.step, v.loss, wall});
  s.pending.push_back({"val/recall_at_10", s.position.step, v.recall, wall});
  context.metrics(s.position.step, {{"val/loss", v.loss}, {"val/recall_at_10", v.recall}, {"wall_s", wall}});
}

void waitWhilePaused(Session& s, JobContext& context) {
  if (!context.pauseRequested()) return;
  const auto pausedAt = Clock::now();
  while (context.pauseRequested() && !context.stopRequested()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  s.pausedSeconds += std::chrono::duration<double>(Clock::now() - pausedAt).count();
}

}  // namespace

Result<RetrievalFinetuneReport> runRetrievalFinetuning(Project& project,
                                                       const RetrievalFinetuneOptions& options,
                                                       JobContext& context) {
  Session s;
  auto fail = [&](const std::string& message) -> Error {
    if (s.runId) {
      try {
        flush(s, "failed", message);
      } catch (...) {
      }
    }
    return Error{message};
  };
  try {
    context.progress(0, 1, "Loading the base run");
    auto base = openRun(project, options, s);
    if (!base) return fail(base.error().message);
    if (!base->checkpointWarning.empty()) context.log(LogLevel::Warning, base->checkpointWarning);
    RetrievalFinetuneReport report;
    report.runId = s.runId;
    report.trainPairs = static_cast<int64_t>(s.pairs.train.size());
    report.validationPairs = static_cast<int64_t>(s.pairs.validation.size());
    report.trainBaskets = s.pairs.trainBaskets;
    report.validationBaskets = s.pairs.validationBaskets;
    const RunConfig& c = s.config;

    // Epoch 0 is the base run: fine-tuning must beat it to replace it.
    context.progress(0, 1, "Validating the base run");
    Validation best = validate(s, options, context);
    report.baseValidationLoss = report.bestValidationLoss = best.loss;
    report.baseValidationRecall = report.bestValidationRecall = best.recall;
    reportValidation(s, best, context);
    if (Status ck = checkpoint(s); !ck) return fail(ck.error().message);
    updateRunProgress(*s.db, s.runId, "running", "", 0, 0, s.elapsed());

    const auto perEpoch = static_cast<int64_t>(conflictFreeBatches(s.pairs.train, c.batch, c.seed, 0).size());
    const int64_t totalSteps = std::max<int64_t>(1, perEpoch * c.epochs);
    const int64_t warmup = std::max<int64_t>(1, static_cast<int64_t>(c.warmupFraction * totalSteps));
    std::string status = "finished";
    auto lastFlush = Clock::now();
    int sinceBest = 0;
    s.model->train();
    for (int epoch = 0; epoch < c.epochs && status == "finished"; ++epoch) {
      auto batches = conflictFreeBatches(s.pairs.train, c.batch, c.seed, epoch);
      for (size_t bi = 0; bi < batches.size(); ++bi) {
        waitWhilePaused(s, context);
        if (context.stopRequested()) {
          status = "stopped";
          break;
        }
        double lr = learningRateAt(s.position.step, totalSteps, warmup, c.lr, c.schedule);
        s.optimizer->setLr(lr);
        s.optimizer->zeroGrad();
        torch::Tensor total =
            pairLoss(s, s.pairs.train, batches[bi],
                     drawNegatives(s, options.catalogNegatives, static_cast<uint64_t>(s.position.step)));
        const double loss = total.item<double>();
        if (!std::isfinite(loss)) {
          return fail("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                      std::to_string(s.position.step + 1) +
                      "; the best checkpoint so far is kept. Try a lower learning rate.");
        }
        total.backward();
        torch::nn::utils::clip_grad_norm_(s.model->parameters(), c.clipNorm);
        s.optimizer->step();
        ++s.position.step;
        double progress = epoch + double(bi + 1) / double(batches.size());
        std::map<std::string, double> values{{"loss", loss}, {"lr", lr}, {"epoch", progress}};
        const double wall = s.elapsed();
        for (const auto& [k, v] : values) s.pending.push_back({k, s.position.step, v, wall});
        values["wall_s"] = wall;
        context.metrics(s.position.step, values);
        context.progress(s.position.step, totalSteps, "Fine-tuning on co-purchases");
        if (Clock::now() - lastFlush > std::chrono::seconds(2)) {
          flush(s, "running", "");
          lastFlush = Clock::now();
        }
      }
      if (status != "finished") break;
      s.position.epoch = epoch + 1;
      report.epochs = epoch + 1;
      context.progress(0, 1, "Validating");
      Validation val = validate(s, options, context);
      reportValidation(s, val, context);
      // Recall is what the fine-tune is for; the loss breaks ties (small validation sets).
      if (val.recall > best.recall + 1e-12 || (val.recall >= best.recall - 1e-12 && val.loss < best.loss)) {
        best = val;
        report.bestValidationLoss = val.loss;
        report.bestValidationRecall = val.recall;
        report.bestEpoch = epoch + 1;
        sinceBest = 0;
        if (Status ck = checkpoint(s); !ck) return fail(ck.error().message);
      } else if (++sinceBest >= options.patience) {
        context.log(LogLevel::Info, "no better validation score for " + std::to_string(sinceBest) +
                                        " epoch(s); keeping epoch " + std::to_string(report.bestEpoch));
        break;
      }
    }
    report.status = status;
    report.steps = s.position.step;
    report.seconds = s.elapsed();
    flush(s, status,
          status == "stopped" ? "stopped by request; the best checkpoint so far is kept" : "");
    return report;
  } catch (const StoreError& e) {
    return fail("the retrieval fine-tune could not write to " + project.path() + ": " + e.what());
  } catch (const c10::Error& e) {
    return fail(std::string("the retrieval fine-tune failed inside LibTorch: ") + e.what_without_backtrace());
  }
}

}  // namespace pl
