// Opening a pretraining session (pretrain_session.h), and the run's tokenizer.
#include "train/pretrain_session.h"

#include <malloc.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "model/torch_runtime.h"
#include "store/run_store.h"
#include "train/batching.h"

namespace pl {

namespace {

Status prepareTokenizer(Session& s, bool resume, JobContext& context) {
  if (!s.writes()) {
    // Rank 0's tokenizer, through the rendezvous store: nothing to read from
    // the project's run, which only rank 0 records.
    const std::string bytes = s.group->share("tokenizer", "");
    const std::string path = s.dir + "/tokenizer.model";
    if (Status w = writeFileAtomically(path, bytes); !w) return w.error();
    auto loaded = Tokenizer::load(path);
    if (!loaded) return loaded.error();
    s.tokenizer.emplace(std::move(*loaded));
    return Status::success();
  }
  if (resume) {
    auto restored = restoreRunTokenizer(*s.db, s.runId, s.dir);
    if (restored) {
      s.tokenizer.emplace(std::move(*restored));
      return Status::success();
    }
    // Stopped (killed, or a full disk) before its tokenizer was stored: no
    // step can have been saved either, so the run starts from the beginning.
    if (latestCheckpoint(*s.db, s.runId)) return restored.error();
    context.log(LogLevel::Info, "The run stopped before its first save; starting it from the beginning");
  }
  context.progress(0, 1, "Training tokenizer");
  auto trained = trainRunTokenizer(*s.db, s.runId, s.config, s.dir);
  if (!trained) return trained.error();
  s.tokenizer.emplace(std::move(*trained));
  if (s.group) s.group->share("tokenizer", s.tokenizer->serialized());
  return Status::success();
}

Status prepareModel(Session& s) {
  s.model = ProductModel(s.config, attributeCardinalities(s.corpus), s.tokenizer->vocabSize());
  s.model->to(s.device);  // before the optimizer takes its moments' shapes and device
  FusedAdamWOptions adam;
  adam.lr = s.config.lr;
  adam.weightDecay = s.config.weightDecay;
  s.optimizer = std::make_unique<FusedAdamW>(s.model->parameters(), adam);
  s.setup.config = &s.config;
  s.setup.device = s.device;
  s.setup.vocabSize = s.tokenizer->vocabSize();
  s.queue.capacity = s.config.negativeQueue;
  if (s.queue.capacity > 0) s.setup.queue = &s.queue;
  s.support.capacity = kNeighbourSupport;
  if (s.config.uses("neighbours")) s.setup.support = &s.support;
  auto inputs = s.config.attributeInputs();
  for (const auto& target : s.config.effectiveAttrTargets()) {
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (inputs[k] == target) s.setup.attrTargetColumns.push_back(static_cast<int64_t>(k));
    }
  }
  return Status::success();
}

}  // namespace

Result<Session*> openRun(Project& project, const PretrainOptions& options, Session& s,
                         JobContext& context) {
  s.db = &project.db();
  s.dir = options.runDirectory.empty() ? defaultRunDirectory(project.path(), options.runName)
                                       : options.runDirectory;
  bool hasBaskets = s.db->scalar("SELECT count(*) FROM basket_items") > 0;
  auto device = resolveDevice(options.device);
  if (!device) return device.error();
  s.device = *device;
  if (options.distributed.enabled()) {
    if (options.resume) return Error{"a distributed run cannot be resumed yet; resume it in one process"};
    if (options.config.timeLimitMinutes > 0) {
      return Error{"a distributed run needs epochs or max_steps: ranks would stop at different steps by the clock"};
    }
    context.progress(0, 1, "Waiting for the other ranks");
    DistributedOptions distributed = options.distributed;
    distributed.cuda = s.device.is_cuda();
    auto joined = DistributedGroup::join(distributed);
    if (!joined) return joined.error();
    s.group = *joined;
    context.log(LogLevel::Info, "Joined the distributed run as rank " + std::to_string(s.group->rank()) + " of " +
                                    std::to_string(s.group->size()));
  }
  if (!s.writes()) {
    // Nothing of the run is recorded here: rank 0 does that.
    s.config = options.config;
    if (Status v = s.config.validate(hasBaskets); !v) return v.error();
    s.dir = (std::filesystem::temp_directory_path() /
             ("productlens-rank" + std::to_string(s.group->rank()) + "-" + std::to_string(::getpid())))
                .string();
    s.scratchDirectory = s.dir;
  } else if (options.resume) {
    auto run = findRun(*s.db, options.runName);
    if (!run) return Error{"there is no run named '" + options.runName + "' to resume"};
    if (run->status == "finished") return Error{"run '" + options.runName + "' has already finished"};
    auto config = RunConfig::fromJson(run->configJson, "run '" + options.runName + "'");
    if (!config) return config.error();
    s.config = *config;
    s.runId = run->id;
  } else {
    s.config = options.config;
    if (Status v = s.config.validate(hasBaskets); !v) return v.error();
    if (Status filled = checkInputsHaveValues(*s.db, s.config); !filled) return filled.error();
    auto id = createRun(*s.db, options.runName, "pretrain", s.config.toJson());
    if (!id) return id.error();
    s.runId = *id;
  }
  std::error_code fsError;
  std::filesystem::create_directories(s.dir, fsError);
  if (fsError) return Error{"cannot create folder " + s.dir + ": " + fsError.message()};
  if (Status t = prepareTokenizer(s, options.resume, context); !t) return t.error();
  context.progress(0, 1, "Tokenizing products");
  auto corpus = loadProductCorpus(*s.db, s.config, *s.tokenizer);
  if (!corpus) return corpus.error();
  s.corpus = std::move(*corpus);
  splitTrainValidation(s.corpus.size(), s.config.validationFraction, s.config.seed, s.train,
                       s.validation);
  if (s.config.uses("copurchase")) s.basketPairs = loadBasketPairs(*s.db, s.corpus);
  if (s.corpus.images) {
    context.log(LogLevel::Info, std::to_string(s.corpus.images->withImages()) + " of " +
                                    std::to_string(s.corpus.size()) + " products have a picture");
    if (s.corpus.images->withImages() == 0) {
      return Error{"the run's inputs include the image, but no product has a picture; import a "
                   "catalog with an image column (or the demo) or leave the image input out"};
    }
  }
  if (takesLexicalViews(s.config)) {
    auto lexical = findLexicalNeighbours(*s.db, s.corpus.rowIds, s.config.textInputs(),
                                         kLexicalNeighbours, context);
    if (!lexical) return lexical.error();
    s.lexical = std::move(*lexical);
    // The search's TF-IDF rows and index (gigabytes at a million products)
    // are freed by now, but glibc keeps freed heap for reuse; give it back so
    // training runs in what it needs (300k products: 0.48 GB, not 1.96 GB).
    ::malloc_trim(0);
  }
  setTorchThreads(s.config.threads);
  s.scaler = LossScaler(s.device.is_cuda() && options.mixedPrecision);
  if (!s.device.is_cpu()) context.log(LogLevel::Info, "Training on " + s.device.str());
  torch::manual_seed(s.config.seed);
  s.maskGenerator = at::detail::createCPUGenerator(s.config.seed + 1);
  if (Status m = prepareModel(s); !m) return m.error();
  if (s.group) {
    // Rank 0's initial weights everywhere (the seeds agree already; this
    // makes it so whatever the platform's generators do).
    std::vector<torch::Tensor> state = s.model->parameters();
    for (const auto& b : s.model->buffers()) state.push_back(b);
    s.group->broadcast(state);
    std::vector<torch::Tensor> trained;
    for (const auto& p : s.model->parameters()) {
      if (p.requires_grad()) trained.push_back(p);
    }
    s.sync = std::make_unique<GradientSync>(s.group, trained);
  }
  if (options.resume) {
    if (latestCheckpoint(*s.db, s.runId)) {
      auto restored = loadNewestCheckpoint(*s.db, s.runId, *s.model, s.optimizer.get(), s.position);
      if (!restored) return restored.error();
      if (!restored->warning.empty()) {
        context.log(LogLevel::Warning, restored->warning);
        // The damaged newer rows go, so the step they held is saved afresh
        // when training reaches it again (saveRunCheckpoint keeps a step's
        // recorded file otherwise).
        if (s.writes()) forgetCheckpointsAfter(*s.db, s.runId, restored->record.step);
      }
      at::Generator global = at::detail::getDefaultCPUGenerator();  // a handle to the same state
      global.set_state(s.position.globalRngState);
      s.maskGenerator.set_state(s.position.maskRngState);
      s.model->to(s.device);  // a checkpoint's tensors come back on the CPU
      auto back = [&s](const torch::Tensor& t) { return t.defined() ? t.to(s.device) : t; };
      s.queue.embeddings = back(s.position.negativeQueue);
      s.support.embeddings = back(s.position.neighbourBank);
      truncateMetrics(*s.db, s.runId, s.position.step);
      s.lastCheckpoint = restored->record.path;
    } else if (s.writes()) {
      truncateMetrics(*s.db, s.runId, 0);  // from the beginning: what was logged goes
    }
  }
  return &s;
}

Result<Tokenizer> restoreRunTokenizer(Database& db, int64_t runId, const std::string& runDirectory) {
  std::string blob = loadRunTokenizer(db, runId);
  if (blob.empty()) return Error{"the run has no stored tokenizer; start a new run"};
  std::error_code fsError;
  std::filesystem::create_directories(runDirectory, fsError);
  if (fsError) return Error{"cannot create folder " + runDirectory + ": " + fsError.message()};
  std::string path = runDirectory + "/tokenizer.model";
  if (Status w = writeFileAtomically(path, blob); !w) return w.error();
  return Tokenizer::load(path);
}

Result<Tokenizer> trainRunTokenizer(Database& db, int64_t runId, const RunConfig& config,
                                    const std::string& runDirectory) {
  std::string path = runDirectory + "/tokenizer.model";
  TokenizerOptions o;
  o.vocabSize = config.textInputs().empty() ? kPlaceholderVocabulary : config.vocabSize;
  o.seed = static_cast<int>(config.seed);
  auto trained = Tokenizer::train(loadTokenizerTexts(db, config), o, path);
  if (!trained) return trained.error();
  saveRunTokenizer(db, runId, trained->serialized());
  return Tokenizer::load(path);
}

}  // namespace pl
