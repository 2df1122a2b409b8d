#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/arg_parser.h"
#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "train/pretrain_job.h"

namespace pl::cli {

namespace {

/// --objectives mlm,contrastive or mlm:1,contrastive:0.5; a weight that is no
/// number is an error naming it (it used to weigh 0 silently).
Result<std::map<std::string, double>> parseObjectives(const std::string& text) {
  std::map<std::string, double> out;
  for (const auto& item : splitCommaList(text)) {
    auto colon = item.find(':');
    double weight = 1.0;
    if (colon != std::string::npos) {
      auto w = parseReal(item.substr(colon + 1), "--objectives " + item.substr(0, colon) + ":W", 0, 1e6);
      if (!w) return w.error();
      weight = *w;
    }
    out[item.substr(0, colon)] = weight;
  }
  return out;
}

Result<RunConfig> configFromArgs(const ParsedArgs& args) {
  RunConfig c;
  if (args.has("config")) {
    std::ifstream in(args.value("config"));
    if (!in) return Error{"cannot read " + args.value("config")};
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = RunConfig::fromJson(text.str(), args.value("config"));
    if (!parsed) return parsed.error();
    c = *parsed;
  }
  // Every number is read strictly: "1e-3x", "1e20" for a size or "-1" for a
  // seed name their flag instead of turning into undefined behaviour. No real
  // setting is negative (rates, shares, minutes); validate() checks the rest.
  std::string bad;
  auto num = [&](const char* name) {
    auto v = args.real(name, 0, 1e12);
    if (!v && bad.empty()) bad = v.error().message;
    return v ? *v : 0.0;
  };
  auto whole = [&](const char* name, int64_t lo, int64_t hi) {
    auto v = args.integer(name, lo, hi);
    if (!v && bad.empty()) bad = v.error().message;
    return v ? *v : 0;
  };
  constexpr int64_t kBig = 1'000'000'000;
  if (args.has("encoder")) c.encoder = args.value("encoder");
  if (args.has("inputs")) c.inputs = splitCommaList(args.value("inputs"));
  if (args.has("objectives")) {
    auto objectives = parseObjectives(args.value("objectives"));
    if (!objectives) return objectives.error();
    c.objectives = *objectives;
  }
  if (args.has("mask-rate")) c.maskRate = num("mask-rate");
  if (args.has("whole-word-mask")) c.wholeWordMask = true;
  if (args.has("layers")) c.layers = static_cast<int>(whole("layers", 1, 48));
  if (args.has("dim")) c.dim = static_cast<int>(whole("dim", 1, 4096));
  if (args.has("heads")) c.heads = static_cast<int>(whole("heads", 1, 64));
  if (args.has("max-length")) c.maxLength = static_cast<int>(whole("max-length", 4, 1024));
  if (args.has("pooling")) c.pooling = args.value("pooling");
  if (args.has("vocab")) c.vocabSize = static_cast<int>(whole("vocab", 16, 1 << 22));
  if (args.has("embedding-dim")) c.embeddingDim = static_cast<int>(whole("embedding-dim", 1, 4096));
  if (args.has("temperature")) c.temperature = num("temperature");
  if (args.has("view-drop")) c.viewWordDrop = num("view-drop");
  if (args.has("first-view-drop")) c.firstViewWordDrop = num("first-view-drop");
  if (args.has("negative-queue")) c.negativeQueue = static_cast<int>(whole("negative-queue", 0, 65536));
  if (args.has("lexical-views")) c.lexicalViews = num("lexical-views");
  if (args.has("image-encoder")) c.imageEncoder = args.value("image-encoder");
  if (args.has("image-size")) c.image.size = static_cast<int>(whole("image-size", 8, 1024));
  if (args.has("image-channels")) c.image.channels = static_cast<int>(whole("image-channels", 1, 3));
  if (args.has("image-crop")) c.image.pad = false;
  if (args.has("patch-size")) c.patchSize = static_cast<int>(whole("patch-size", 1, 256));
  if (args.has("image-mask-rate")) c.imageMaskRate = num("image-mask-rate");
  if (args.has("crop-scale")) c.augment.cropScaleMin = num("crop-scale");
  if (args.has("modality-dropout")) c.modalityDropout = num("modality-dropout");
  if (args.has("attr-targets")) c.attrTargets = splitCommaList(args.value("attr-targets"));
  if (args.has("epochs")) c.epochs = static_cast<int>(whole("epochs", 0, 1'000'000));
  if (args.has("max-steps")) {
    c.maxSteps = whole("max-steps", 1, int64_t{1} << 40);
    if (!args.has("epochs")) c.epochs = 0;
  }
  if (args.has("time-limit")) {
    c.timeLimitMinutes = num("time-limit");
    if (!args.has("epochs")) c.epochs = 0;
  }
  if (args.has("batch")) c.batch = static_cast<int>(whole("batch", 2, 1 << 20));
  if (args.has("lr")) c.lr = num("lr");
  if (args.has("schedule")) c.schedule = args.value("schedule");
  if (args.has("seed")) c.seed = static_cast<uint64_t>(whole("seed", 0, INT64_MAX));
  if (args.has("threads")) c.threads = static_cast<int>(whole("threads", 0, 1024));
  if (args.has("checkpoint-every")) c.checkpointEvery = static_cast<int>(whole("checkpoint-every", 1, kBig));
  if (!bad.empty()) return Error{bad};
  return c;
}

}  // namespace

const std::vector<OptionSpec>& pretrainOptions() {
  static const std::vector<OptionSpec> options = {
      {"run", "NAME", "name of the run (required)"},
      {"config", "FILE", "run settings as JSON; flags override it"},
      {"encoder", "E", "text-bow (default) or text-transformer"},
      {"inputs", "F1,F2", "product fields the model sees (default: title)"},
      {"objectives", "O[:W],...", "mlm, attr, contrastive, neighbours, copurchase, mim, clip with weights (default contrastive,neighbours)"},
      {"mask-rate", "R", "masking rate for mlm (default 0.15)"},
      {"whole-word-mask", "", "mask whole words instead of single subwords"},
      {"layers", "N", "Transformer layers (default 3)"},
      {"dim", "D", "model width (default 128)"},
      {"heads", "H", "attention heads; must divide dim (default 4)"},
      {"max-length", "T", "tokens per product (default 48)"},
      {"pooling", "mean|cls", "how token states become the text vector"},
      {"vocab", "V", "tokenizer vocabulary size (default 8000)"},
      {"embedding-dim", "E", "size of the product vector (default 128)"},
      {"temperature", "T", "InfoNCE temperature (default 0.05)"},
      {"view-drop", "R", "contrastive: share of words left out of the second view (default 0.5)"},
      {"first-view-drop", "R", "contrastive: share of words left out of the first view (default 0)"},
      {"negative-queue", "N", "contrastive: recent embeddings kept as extra negatives"},
      {"image-encoder", "E", "image-cnn (default) or image-vit, for runs whose inputs include image"},
      {"image-size", "S", "pictures are fitted to S x S pixels (default 32)"},
      {"image-channels", "C", "1 (grey) or 3 (colour, default)"},
      {"image-crop", "", "centre-crop pictures instead of padding them"},
      {"patch-size", "P", "ViT and mim patch size in pixels (default 4)"},
      {"image-mask-rate", "R", "mim: share of patches hidden (default 0.75)"},
      {"crop-scale", "R", "contrastive: smallest area share of a random crop (default 0.35)"},
      {"modality-dropout", "R", "share of pictures hidden from the fused vector in training (default 0.2)"},
      {"lexical-views", "R", "contrastive: share of second views taken from a TF-IDF neighbour (default 0.5)"},
      {"attr-targets", "F1,F2", "inputs hidden and predicted by attr"},
      {"epochs", "E", "passes over the catalog (default 40)"},
      {"max-steps", "S", "stop after S optimizer steps"},
      {"time-limit", "MIN", "stop after MIN minutes of training"},
      {"batch", "B", "products per batch (default 128)"},
      {"lr", "LR", "peak learning rate (default 5e-4)"},
      {"schedule", "cosine|linear|constant", "decay after warm-up"},
      {"seed", "S", "random seed (same seed + data = same curve)"},
      {"threads", "T", "LibTorch threads (default 1: OpenBLAS threads the matrix products)"},
      {"checkpoint-every", "N", "steps between checkpoints (default 500)"},
      {"resume", "", "continue the run from its last checkpoint"},
      {"world-size", "N", "distributed: processes in the run (or WORLD_SIZE; docs/distributed.md)"},
      {"rank", "R", "distributed: this process's rank, 0 to N-1 (or RANK); rank 0 records the run"},
      {"master", "ADDR:PORT", "distributed: rank 0's address (or MASTER_ADDR, MASTER_PORT)"},
      {"save-weights", "FILE", "write the final parameters as raw float32 (every rank)"},
      {"device", "cpu|cuda|auto", "where to train (default cpu; cuda needs an upstream CUDA LibTorch)"},
      {"no-mixed-precision", "", "on CUDA: train in float32 (no autocast, no loss scaling)"},
      {"json", "", "print the final report as JSON"},
      {"quiet", "", "no progress output"},
  };
  return options;
}

int runPretrain(const ParsedArgs& args) {
  if (!args.has("run")) return fail("--run NAME is required", kExitUsage);
  auto config = configFromArgs(args);
  if (!config) return fail(config.error().message, kExitUsage);
  // A value out of range is bad usage (2), before any project is opened;
  // whether copurchase has baskets is the job's to check.
  if (!args.has("resume")) {
    if (Status valid = config->validate(true); !valid) return fail(valid.error().message, kExitUsage);
  }
  PretrainOptions options;
  // torchrun's variables first, the flags over them.
  if (Status env = readDistributedEnvironment(options.distributed); !env) return fail(env.error().message, kExitUsage);
  for (auto [flag, target] : {std::pair{"world-size", &options.distributed.worldSize},
                              std::pair{"rank", &options.distributed.rank}}) {
    if (!args.has(flag)) continue;
    auto v = parseDistributedNumber("--" + std::string(flag), args.value(flag));
    if (!v) return fail(v.error().message, kExitUsage);
    *target = *v;
  }
  if (args.has("master")) {
    if (Status m = parseMasterAddress(args.value("master"), options.distributed); !m) {
      return fail(m.error().message, kExitUsage);
    }
  }
  const bool follower = options.distributed.enabled() && options.distributed.rank > 0;
  // Ranks other than 0 only read the catalog: the project stays rank 0's to write.
  auto project = Project::open(args.positional[0], follower ? OpenMode::ReadOnly : OpenMode::Existing);
  if (!project) return fail(project.error().message);
  options.runName = args.value("run");
  options.config = *config;
  options.resume = args.has("resume");
  options.saveWeights = args.value("save-weights");
  auto device = parseDeviceChoice(args.value("device", "cpu"));
  if (!device) return fail(device.error().message, kExitUsage);
  options.device = *device;
  options.mixedPrecision = !args.has("no-mixed-precision");

  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  context.setMetricsSink([&bar](int64_t step, const std::map<std::string, double>& m) {
    auto loss = m.find("loss");
    if (loss == m.end()) return;
    char text[160];
    // Runs with pictures report pictures per second; text runs tokens.
    auto ips = m.find("images_per_s");
    auto tps = ips != m.end() ? ips : m.find("tokens_per_s");
    const char* unit = ips != m.end() ? " img/s" : " tok/s";
    std::snprintf(text, sizeof text, "step %lld loss %.4f%s", static_cast<long long>(step),
                  loss->second,
                  tps == m.end() ? "" : (" " + std::to_string(static_cast<int>(tps->second)) + unit).c_str());
    bar.setDetail(text);
  });
  StopOnSignal stopOnSignal(context);
  auto report = runPretraining(**project, options, context);
  bar.finish();
  if (!report) return fail(report.error().message);
  if (args.has("json")) {
    std::printf(
        "{\"run_id\": %lld, \"status\": \"%s\", \"steps\": %lld, \"epochs\": %.3f, \"seconds\": %.2f, "
        "\"final_loss\": %.6f, \"tokens_per_s\": %.1f}\n",
        static_cast<long long>(report->runId), report->status.c_str(),
        static_cast<long long>(report->steps), report->epochs, report->seconds, report->finalLoss,
        report->tokensPerSecond);
  } else {
    std::printf("Run '%s' %s after %lld steps (%.2f epochs) in %.1f s; final loss %.4f\n",
                options.runName.c_str(), report->status.c_str(),
                static_cast<long long>(report->steps), report->epochs, report->seconds,
                report->finalLoss);
    if (!follower) std::printf("Checkpoint: %s\n", report->lastCheckpoint.c_str());
  }
  return kExitOk;
}

}  // namespace pl::cli
