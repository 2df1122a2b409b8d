#include "finetune/retrieval_finetune.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "embed/run_model.h"
#include "eval/basket_split.h"
#include "finetune/copurchase_pairs.h"
#include "model/torch_runtime.h"
#include "store/run_store.h"
#include "train/batching.h"
#include "train/checkpoint.h"
#include "train/lr_schedule.h"
#include "train/pretrain_job.h"
#include "train/training_step.h"

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
  LossSetup setup;
  TrainingPosition position;
  std::vector<MetricPoint> pending;
  Clock::time_point started = Clock::now();
  double pausedSeconds = 0;

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
  s.setup.config = &s.config;
  s.setup.vocabSize = base->tokenizer.vocabSize();
  return base;
}

double pairLoss(Session& s, const std::vector<CopurchasePair>& pairs, const std::vector<size_t>& batch,
                StepLosses& losses) {
  std::vector<int32_t> anchors, partners;
  for (size_t p : batch) {
    anchors.push_back(pairs[p].first);
    partners.push_back(pairs[p].second);
  }
  addCopurchaseLoss(*s.model, s.setup, collate(s.corpus, anchors), collate(s.corpus, partners), losses);
  return losses.total.item<double>();
}

/// Mean InfoNCE over fixed batches of the validation pairs (the same batches
/// every time, at most 64 of them), in eval mode.
double validationLoss(Session& s) {
  torch::NoGradGuard noGrad;
  s.model->eval();
  auto batches = conflictFreeBatches(s.pairs.validation, s.config.batch, s.config.seed + 7, 0);
  if (batches.size() > 64) batches.resize(64);
  double sum = 0;
  for (const auto& b : batches) {
    StepLosses losses;
    sum += pairLoss(s, s.pairs.validation, b, losses);
  }
  s.model->train();
  return batches.empty() ? NAN : sum / static_cast<double>(batches.size());
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
  char name[64];
  std::snprintf(name, sizeof name, "/step-%08lld.pt", static_cast<long long>(s.position.step));
  std::string path = s.dir + name;
  auto sha = saveCheckpoint(path, *s.model, *s.optimizer, s.position);
  if (!sha) return sha.error();
  recordCheckpoint(*s.db, s.runId, s.position.step, path, *sha);
  auto st = s.db->prepare(
      "SELECT id, path FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT -1 OFFSET 2");
  st.bind(1, s.runId);
  std::vector<std::pair<int64_t, std::string>> old;
  while (st.step()) old.emplace_back(st.int64(0), st.text(1));
  for (const auto& [id, oldPath] : old) {
    if (oldPath != path) std::remove(oldPath.c_str());
    s.db->prepare("DELETE FROM checkpoints WHERE id = ?").bind(1, id).run();
  }
  return Status::success();
}

void reportValidation(Session& s, double loss, JobContext& context) {
  s.pending.push_back({"val/loss", s.position.step, loss, s.elapsed()});
  context.metrics(s.position.step, {{"val/loss", loss}, {"wall_s", s.elapsed()}});
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
    RetrievalFinetuneReport report;
    report.runId = s.runId;
    report.trainPairs = static_cast<int64_t>(s.pairs.train.size());
    report.validationPairs = static_cast<int64_t>(s.pairs.validation.size());
    report.trainBaskets = s.pairs.trainBaskets;
    report.validationBaskets = s.pairs.validationBaskets;
    const RunConfig& c = s.config;

    // Epoch 0 is the base run: fine-tuning must beat it to replace it.
    context.progress(0, 1, "Validating the base run");
    report.baseValidationLoss = report.bestValidationLoss = validationLoss(s);
    reportValidation(s, report.baseValidationLoss, context);
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
        StepLosses losses;
        double loss = pairLoss(s, s.pairs.train, batches[bi], losses);
        if (!std::isfinite(loss)) {
          return fail("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                      std::to_string(s.position.step + 1) +
                      "; the best checkpoint so far is kept. Try a lower learning rate.");
        }
        losses.total.backward();
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
      double val = validationLoss(s);
      reportValidation(s, val, context);
      if (val < report.bestValidationLoss) {
        report.bestValidationLoss = val;
        report.bestEpoch = epoch + 1;
        sinceBest = 0;
        if (Status ck = checkpoint(s); !ck) return fail(ck.error().message);
      } else if (++sinceBest >= options.patience) {
        context.log(LogLevel::Info, "validation loss rose for " + std::to_string(sinceBest) +
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
