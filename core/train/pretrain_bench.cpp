#include "train/pretrain_bench.h"

#include <torch/csrc/autograd/profiler.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "model/text_encoder.h"
#include "model/torch_runtime.h"
#include "train/fused_adamw.h"

namespace pl {

namespace {

using Clock = std::chrono::steady_clock;

// Special ids as the tokenizer lays them out: pad 0, unk 1, cls 2, sep 3,
// mask 4; random text draws from the ordinary ids after them.
constexpr int64_t kPadId = 0;
constexpr int64_t kMaskId = 4;
constexpr int64_t kFirstOrdinaryId = 5;

std::string checkOptions(const PretrainBenchOptions& o) {
  if (o.encoder != "text-transformer" && o.encoder != "text-bow")
    return "unknown encoder '" + o.encoder + "' (text-transformer or text-bow)";
  if (o.layers < 1 || o.dim < 1 || o.heads < 1 || o.seq < 1 || o.batch < 1)
    return "layers, dim, heads, seq and batch must all be at least 1";
  if (o.dim % o.heads != 0) return "dim must be divisible by heads";
  if (o.vocab <= kFirstOrdinaryId) return "vocab must be larger than the 5 special tokens";
  if (!(o.maskRate > 0 && o.maskRate < 1)) return "mask rate must be between 0 and 1";
  if (o.steps < 1 || o.warmup < 0) return "steps must be at least 1 and warmup at least 0";
  return {};
}

std::shared_ptr<TextEncoderImpl> makeEncoder(const PretrainBenchOptions& o) {
  if (o.encoder == "text-bow") {
    TextBowOptions bow;
    bow.vocabSize = o.vocab;
    bow.dim = o.dim;
    bow.dropout = o.dropout;
    bow.padId = kPadId;
    return std::make_shared<TextBowImpl>(bow);
  }
  TextTransformerOptions t;
  t.vocabSize = o.vocab;
  t.dim = o.dim;
  t.layers = o.layers;
  t.heads = o.heads;
  t.maxLength = o.seq;
  t.dropout = o.dropout;
  t.padId = kPadId;
  return std::make_shared<TextTransformerImpl>(t);
}

// Accumulates wall time per section; CPU ops run synchronously, so reading
// the clock between them is exact without any extra sync.
class SectionTimer {
 public:
  explicit SectionTimer(std::vector<PretrainBenchSection>& sections) : sections_(sections) {}
  void mark(size_t index, bool record) {
    auto now = Clock::now();
    if (record) {
      sections_[index].msPerStep += std::chrono::duration<double, std::milli>(now - last_).count();
    }
    last_ = now;
  }
  void start() { last_ = Clock::now(); }

 private:
  std::vector<PretrainBenchSection>& sections_;
  Clock::time_point last_;
};

}  // namespace

Result<PretrainBenchResult> runPretrainBench(const PretrainBenchOptions& options) {
  if (auto problem = checkOptions(options); !problem.empty()) {
    return Error{"bench pretrain: " + problem};
  }
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Same thread policy as training (OpenBLAS to one thread when LibTorch has several).
  setTorchThreads(threads);
  torch::manual_seed(options.seed);

  auto encoder = makeEncoder(options);
  auto head = std::make_shared<MlmHeadImpl>(options.dim, options.vocab);
  std::vector<torch::Tensor> params = encoder->parameters();
  for (auto& p : head->parameters()) params.push_back(p);
  FusedAdamWOptions adamw;
  adamw.lr = options.learningRate;
  adamw.weightDecay = 0.01;
  FusedAdamW optimizer(params, adamw);
  encoder->train();
  head->train();

  PretrainBenchResult result;
  result.threads = at::get_num_threads();
  result.runtime = torchRuntimeSummary();
  for (const auto& p : params) result.parameters += p.numel();
  result.sections = {{"data", 0}, {"forward", 0}, {"head+loss", 0}, {"backward", 0},
                     {"optimizer", 0}};
  SectionTimer timer(result.sections);

  const int64_t b = options.batch;
  const int64_t t = options.seq;
  auto realTokens = torch::ones({b, t}, torch::kBool);
  int64_t maskedTotal = 0;
  std::unique_ptr<torch::autograd::profiler::RecordProfile> trace;
  Clock::time_point begin;
  const int total = options.warmup + options.steps;
  for (int step = 0; step < total; ++step) {
    const bool timed = step >= options.warmup;
    if (step == options.warmup) {
      if (!options.traceFile.empty())
        trace = std::make_unique<torch::autograd::profiler::RecordProfile>(options.traceFile);
      begin = Clock::now();
    }
    timer.start();
    // A simple Bernoulli mask (every chosen position becomes [MASK]); the
    // 80/10/10 rule costs nothing measurable next to a training step.
    auto ids = torch::randint(kFirstOrdinaryId, options.vocab, {b, t}, torch::kLong);
    auto chosen = torch::rand({b * t}) < options.maskRate;
    auto positions = chosen.nonzero().squeeze(1);
    auto targets = ids.view({-1}).index_select(0, positions);
    auto inputs = ids.view({-1}).index_fill(0, positions, kMaskId).view({b, t});
    timer.mark(0, timed);

    auto encoded = encoder->forward(inputs, realTokens);
    timer.mark(1, timed);
    auto states = encoded.tokens.reshape({b * t, options.dim}).index_select(0, positions);
    auto logits = head->forward(states, encoder->tokenEmbeddingWeight());
    auto loss = torch::nn::functional::cross_entropy(logits, targets);
    timer.mark(2, timed);
    optimizer.zeroGrad();
    loss.backward();
    timer.mark(3, timed);
    optimizer.step();
    timer.mark(4, timed);

    const double value = loss.item<double>();
    if (step == 0) result.firstLoss = value;
    result.lastLoss = value;
    if (timed) maskedTotal += positions.numel();
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  trace.reset();  // writes the trace file

  result.steps = options.steps;
  result.msPerStep = 1000.0 * result.seconds / options.steps;
  result.tokensPerSecond = static_cast<double>(b * t) * options.steps / result.seconds;
  result.productsPerSecond = static_cast<double>(b) * options.steps / result.seconds;
  result.maskedPerStep = static_cast<double>(maskedTotal) / options.steps;
  for (auto& s : result.sections) s.msPerStep /= options.steps;
  return result;
}

}  // namespace pl
