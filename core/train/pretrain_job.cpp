#include "train/pretrain_job.h"

#include <cmath>
#include <random>
#include <thread>

#include "common/atomic_file.h"
#include "store/run_store.h"
#include "train/batching.h"
#include "train/image_preview.h"
#include "train/lr_schedule.h"
#include "train/pretrain_session.h"

namespace pl {

namespace {

void flushMetrics(Session& s, const std::string& status, const std::string& message) {
  appendMetrics(*s.db, s.runId, s.pendingMetrics);
  s.pendingMetrics.clear();
  double epochs = static_cast<double>(s.position.epoch);
  updateRunProgress(*s.db, s.runId, status, message, s.position.step, epochs, s.elapsed());
}

Status checkpoint(Session& s) {
  s.position.elapsedSeconds = s.elapsed();
  s.sessionStart = Clock::now();
  s.position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
  s.position.maskRngState = s.maskGenerator.get_state();
  // Copies: the banks are slices of larger tensors, whose whole storage
  // would otherwise be written.
  auto copy = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kCPU, false, true) : t; };
  s.position.negativeQueue = copy(s.queue.embeddings);
  s.position.neighbourBank = copy(s.support.embeddings);
  // Checkpoints hold CPU tensors, so any machine reads them.
  if (!s.device.is_cpu()) s.model->to(torch::kCPU);
  auto path = saveRunCheckpoint(*s.db, s.runId, s.dir, *s.model, *s.optimizer, s.position);
  if (!s.device.is_cpu()) s.model->to(s.device);
  if (!path) return path.error();
  s.lastCheckpoint = *path;
  return Status::success();
}

/// A step's two views: the batch and, when the second view differs (lexical
/// partners, or pictures that need a second augmentation), that view.
struct StepViews {
  Batch first;
  std::optional<Batch> second;
  const Batch* secondOrNull() const { return second ? &*second : nullptr; }
};

StepViews makeViews(const Session& s, const std::vector<int32_t>& items,
                    const std::vector<int32_t>* partnerItems, uint64_t viewSeed) {
  StepViews v;
  v.first = collate(s.corpus, items, ImageFill::None);
  if (partnerItems) v.second = collate(s.corpus, *partnerItems, ImageFill::None);
  if (s.corpus.images) {
    if (!v.second) v.second = v.first;  // shares the text tensors; the pictures are replaced
    fillImageViews(s.corpus, s.config.augment, viewSeed * 2, v.first);
    fillImageViews(s.corpus, s.config.augment, viewSeed * 2 + 1, *v.second);
  }
  return v;
}

/// Views of a step are a function of (seed, step), so a resumed run draws the same.
uint64_t stepViewSeed(const RunConfig& c, int64_t step) {
  return c.seed * 1000003ull + static_cast<uint64_t>(step);
}

std::map<std::string, double> validate(Session& s) {
  std::map<std::string, double> sums;
  if (s.validation.empty()) return sums;
  torch::NoGradGuard noGrad;
  s.model->eval();
  auto generator = at::detail::createCPUGenerator(s.config.seed + 7);  // same masks every time
  std::vector<int32_t> items(s.validation.begin(),
                             s.validation.begin() + std::min<size_t>(s.validation.size(), 1024));
  int batches = 0;
  LossSetup setup = s.setup;
  setup.shardEnd = -1;  // rank 0 validates whole batches on its own
  setup.ranks = 1;
  setup.queue = nullptr;  // validation neither feeds nor reads the training negatives
  setup.support = nullptr;
  for (const auto& b : sequentialBatches(items, s.config.batch)) {
    if (b.size() < 2) continue;
    // The same picture views every time, apart from the training ones.
    StepViews views = makeViews(s, b, nullptr, ~stepViewSeed(s.config, batches));
    auto losses = computeLosses(*s.model, setup, views.first, generator, views.secondOrNull());
    for (const auto& [k, v] : losses.parts) sums[k] += v;
    ++batches;
  }
  s.model->train();
  for (auto& [k, v] : sums) v /= std::max(batches, 1);
  return sums;
}

void recordValidation(Session& s, JobContext& context) {
  auto values = validate(s);
  std::map<std::string, double> named;
  for (const auto& [k, v] : values) {
    named["val/" + k] = v;
    s.pendingMetrics.push_back({"val/" + k, s.position.step, v, s.elapsed()});
  }
  if (!named.empty()) {
    named["wall_s"] = s.elapsed();
    context.metrics(s.position.step, named);
  }
}

// Four products with pictures (validation ones first: the model does not
// train on them), the same all run long so the preview shows progress.
std::vector<int32_t> previewItems(const Session& s) {
  std::vector<int32_t> out;
  for (const auto* list : {&s.validation, &s.train}) {
    for (int32_t i : *list) {
      if (out.size() < 4 && s.corpus.images->hasImage(static_cast<size_t>(i))) out.push_back(i);
    }
  }
  return out;
}

void sendImagePreview(Session& s, JobContext& context) {
  const uint64_t seed = stepViewSeed(s.config, s.position.step);
  auto preview = std::make_shared<ImagePreview>(
      previewImageViews(*s.corpus.images, s.corpus.rowIds, previewItems(s), s.config, seed));
  preview->step = s.position.step;
  addReconstructions(*preview, *s.model, s.config, seed);
  context.partial(std::shared_ptr<const ImagePreview>(std::move(preview)));
}

// Every parameter, flattened in parameter order, as raw float32.
Status saveRawWeights(ProductModelImpl& model, const std::string& path) {
  std::string bytes;
  for (const auto& p : model.parameters()) {
    auto flat = p.detach().to(torch::kFloat32).contiguous().reshape(-1);
    bytes.append(reinterpret_cast<const char*>(flat.data_ptr<float>()), flat.numel() * sizeof(float));
  }
  return writeFileAtomically(path, bytes);
}

void sampleCopurchase(Session& s, StepLosses& losses) {
  if (s.basketPairs.empty()) return;
  std::mt19937_64 rng(s.config.seed * 7919 + static_cast<uint64_t>(s.position.step));
  std::uniform_int_distribution<size_t> pick(0, s.basketPairs.size() - 1);
  std::vector<int32_t> anchors, partners;
  for (int i = 0; i < s.config.batch; ++i) {
    auto [a, b] = s.basketPairs[pick(rng)];
    if (rng() & 1) std::swap(a, b);
    anchors.push_back(a);
    partners.push_back(b);
  }
  if (s.setup.sharded()) {  // this rank's share of the pairs
    auto rows = [&](std::vector<int32_t>& v) {
      v = std::vector<int32_t>(v.begin() + s.setup.shardBegin, v.begin() + std::min<int64_t>(s.setup.shardEnd, v.size()));
    };
    rows(anchors);
    rows(partners);
  }
  addCopurchaseLoss(*s.model, s.setup, collate(s.corpus, anchors), collate(s.corpus, partners), losses);
}

}  // namespace

Result<PretrainReport> runPretraining(Project& project, const PretrainOptions& options,
                                      JobContext& context) {
  Session s;
  try {
    auto opened = openRun(project, options, s, context);
    if (!opened) {
      if (s.runId) updateRunProgress(*s.db, s.runId, "failed", opened.error().message, 0, 0, 0);
      return opened.error();
    }
    const RunConfig& c = s.config;
    const int64_t stepsPerEpoch =
        static_cast<int64_t>(epochBatches(s.corpus, s.train, c.batch, c.seed, 0).size());
    if (stepsPerEpoch == 0) return Error{"too few products to form a training batch"};
    int64_t totalSteps = c.epochs > 0 ? c.epochs * stepsPerEpoch : c.maxSteps;
    if (c.maxSteps > 0) totalSteps = std::min(totalSteps, c.maxSteps);
    // A run bounded only by a time limit has no step count to schedule over.
    const bool byClock = c.epochs <= 0 && c.maxSteps <= 0;
    if (totalSteps <= 0) totalSteps = stepsPerEpoch;
    const int64_t warmup = std::max<int64_t>(1, static_cast<int64_t>(c.warmupFraction * totalSteps));
    const int validateEvery = std::max<int>(50, static_cast<int>(stepsPerEpoch / 4));
    s.model->train();
    if (s.writes()) updateRunProgress(*s.db, s.runId, "running", "", s.position.step, s.position.epoch, s.elapsed());
    const int ranks = s.group ? s.group->size() : 1;

    auto lastFlush = Clock::now();
    // Previews redraw pictures through the model on the CPU.
    const bool previews = s.corpus.images && context.wantsPartial() && s.device.is_cpu();
    auto lastPreview = Clock::now() - std::chrono::hours(1);
    auto rateStart = Clock::now();
    int64_t rateTokens = 0, rateProducts = 0, ratePictures = 0;
    double lastLoss = 0, tokensPerSecond = 0;
    std::string endStatus = "finished";
    bool done = s.position.step >= totalSteps && c.timeLimitMinutes <= 0;
    for (; !done && (c.epochs <= 0 || s.position.epoch < c.epochs); ++s.position.epoch) {
      auto batches = epochBatches(s.corpus, s.train, c.batch, c.seed, static_cast<int>(s.position.epoch));
      for (int64_t bi = s.position.batchInEpoch; bi < static_cast<int64_t>(batches.size()); ++bi) {
        if (context.pauseRequested()) {
          // A pause is not training time: the clock (time limit, clock-based
          // learning rate, reported duration) skips it.
          const auto pausedAt = Clock::now();
          while (context.pauseRequested() && !context.stopRequested()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
          s.sessionStart += Clock::now() - pausedAt;
          rateStart = Clock::now();
          rateTokens = rateProducts = ratePictures = 0;
        }
        bool stop = context.stopRequested();
        // Every rank stops at the same step when any is asked to.
        if (s.group) stop = s.group->sum({stop ? 1.0 : 0.0})[0] > 0;
        if (stop) {
          endStatus = "stopped";
          done = true;
          break;
        }
        // Each rank computes its rows of the global batch; a batch too small
        // to give every rank a row is left out by all.
        if (s.group) {
          if (static_cast<int64_t>(batches[bi].size()) < ranks) continue;
          std::tie(s.setup.shardBegin, s.setup.shardEnd) =
              shardRows(static_cast<int64_t>(batches[bi].size()), s.group->rank(), ranks);
          s.setup.ranks = ranks;
        }
        double lr = learningRateAt(s.position.step, totalSteps, warmup, c.lr, c.schedule);
        if (byClock) {
          // No step count to decay over: the schedule follows the clock, in
          // thousandths of the time limit.
          auto permille = static_cast<int64_t>(1000.0 * s.elapsed() / (c.timeLimitMinutes * 60.0));
          lr = learningRateAt(permille, 1000, static_cast<int64_t>(1000 * c.warmupFraction), c.lr,
                              c.schedule);
        }
        s.optimizer->setLr(lr);
        s.optimizer->zeroGrad();
        std::vector<int32_t> partners;
        if (!s.lexical.empty()) {
          partners = lexicalPartners(s.lexical, batches[bi], c.lexicalViews, c.seed, s.position.step);
        }
        StepViews views = makeViews(s, batches[bi], s.lexical.empty() ? nullptr : &partners,
                                    stepViewSeed(c, s.position.step));
        StepLosses losses;
        {
          AutocastScope autocast(s.scaler.enabled());
          losses = computeLosses(*s.model, s.setup, views.first, s.maskGenerator, views.secondOrNull());
          if (c.uses("copurchase")) sampleCopurchase(s, losses);
        }
        double total = losses.total.defined() ? losses.total.item<double>() : NAN;
        if (s.group) {
          // The batch's loss is the ranks' mean (mlm is scaled so); a rank
          // with nothing to learn from this batch adds a zero loss.
          if (!losses.total.defined()) {
            total = 0;
            losses.total = torch::zeros({}, torch::requires_grad());
          }
          total = s.group->sum({total})[0] / ranks;
        }
        if (!std::isfinite(total)) {
          std::string msg = "the loss became " + std::string(std::isnan(total) ? "NaN" : "infinite") +
                            " at step " + std::to_string(s.position.step + 1) +
                            "; training stopped and the last good checkpoint" +
                            (s.lastCheckpoint.empty() ? " (none yet)" : " (" + s.lastCheckpoint + ")") +
                            " is kept. Try a lower learning rate.";
          if (s.writes()) flushMetrics(s, "failed", msg);
          context.log(LogLevel::Error, msg);
          return Error{msg};
        }
        s.scaler.scaled(losses.total).backward();
        if (s.sync) s.sync->finish();  // the gradients averaged over the ranks
        // A mixed-precision step whose gradients overflowed is skipped (the
        // scale halves); every rank sees the same averaged gradients.
        if (s.scaler.unscaleAndUpdate(s.model->parameters())) {
          if (c.clipNorm > 0) torch::nn::utils::clip_grad_norm_(s.model->parameters(), c.clipNorm);
          s.optimizer->step();
        }
        ++s.position.step;
        s.position.batchInEpoch = bi + 1;
        lastLoss = total;
        rateTokens += losses.tokens;
        rateProducts += static_cast<int64_t>(batches[bi].size());
        if (s.corpus.images) ratePictures += views.first.imagePresent.sum().item<int64_t>();

        std::map<std::string, double> values{{"loss", total}, {"lr", lr},
                                             {"epoch", s.position.epoch + double(bi + 1) / batches.size()}};
        for (const auto& [k, v] : losses.parts) values["loss/" + k] = v;
        double window = std::chrono::duration<double>(Clock::now() - rateStart).count();
        if (window >= 1.0) {
          tokensPerSecond = rateTokens / window;
          values["tokens_per_s"] = tokensPerSecond;
          values["products_per_s"] = rateProducts / window;
          if (s.corpus.images) values["images_per_s"] = ratePictures / window;
          rateStart = Clock::now();
          rateTokens = rateProducts = ratePictures = 0;
        }
        double wall = s.elapsed();
        // "epoch" is stored too: plots of stored runs can put epochs on the x axis.
        if (s.writes()) {
          for (const auto& [k, v] : values) s.pendingMetrics.push_back({k, s.position.step, v, wall});
        }
        // Live listeners also get the run's wall clock (stored as each point's wall_seconds).
        values["wall_s"] = wall;
        context.metrics(s.position.step, values);
        if (byClock) {
          // A time-limited run ends by the clock: show how much of it is used.
          context.progress(static_cast<int64_t>(wall), static_cast<int64_t>(c.timeLimitMinutes * 60),
                           "Pretraining");
        } else {
          context.progress(s.position.step, totalSteps, "Pretraining");
        }

        if (s.writes() && s.position.step % validateEvery == 0) recordValidation(s, context);
        if (s.writes() && s.position.step % c.checkpointEvery == 0) {
          if (Status ck = checkpoint(s); !ck) return ck.error();
        }
        if (s.writes() && previews && Clock::now() - lastPreview > std::chrono::seconds(4)) {
          sendImagePreview(s, context);
          lastPreview = Clock::now();
        }
        if (s.writes() && Clock::now() - lastFlush > std::chrono::seconds(2)) {
          flushMetrics(s, "running", "");
          lastFlush = Clock::now();
        }
        bool outOfTime = c.timeLimitMinutes > 0 && wall >= c.timeLimitMinutes * 60.0;
        if ((c.maxSteps > 0 && s.position.step >= c.maxSteps) || outOfTime) {
          done = true;
          break;
        }
      }
      if (done) break;
      s.position.batchInEpoch = 0;
    }
    if (!options.saveWeights.empty()) {
      if (Status w = saveRawWeights(*s.model, options.saveWeights); !w) return w.error();
    }
    if (s.writes()) {
      recordValidation(s, context);
      if (Status ck = checkpoint(s); !ck) return ck.error();
    }
    if (s.corpus.images && s.corpus.images->counters().broken > 0) {
      context.log(LogLevel::Warning, std::to_string(s.corpus.images->counters().broken) +
                                         " product pictures could not be read; those products "
                                         "were trained as having no picture");
    }
    if (s.writes()) {
      flushMetrics(s, endStatus, endStatus == "stopped" ? "stopped by request; resume the run to continue" : "");
    }
    PretrainReport report;
    report.runId = s.runId;
    report.status = endStatus;
    report.steps = s.position.step;
    report.epochs = static_cast<double>(s.position.step) / static_cast<double>(stepsPerEpoch);
    report.seconds = s.elapsed();
    report.finalLoss = lastLoss;
    report.tokensPerSecond = tokensPerSecond;
    report.lastCheckpoint = s.lastCheckpoint;
    return report;
  } catch (const StoreError& e) {
    return Error{"pretraining could not write to " + project.path() + ": " + e.what()};
  } catch (const c10::Error& e) {
    std::string msg = std::string("pretraining failed inside LibTorch: ") + e.what_without_backtrace();
    if (s.runId && s.writes()) {
      try {
        flushMetrics(s, "failed", msg);
      } catch (...) {
      }
    }
    return Error{msg};
  } catch (const std::exception& e) {
    // Gloo reports a lost or timed-out rank this way.
    return Error{std::string("pretraining stopped: ") + e.what()};
  }
}

}  // namespace pl
