// `bench pretrain`: training-step throughput of a text encoder, comparable
// with bench/peer_mlm.py (same flags, same output fields).
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "train/pretrain_bench.h"

namespace pl::cli {

namespace {

// Parses an optional numeric flag; false (and a message in `error`) when the
// text is not a whole number / a number.
bool readInt(const ParsedArgs& args, const char* name, int64_t& out, std::string& error) {
  if (!args.has(name)) return true;
  const std::string text = args.value(name);
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') {
    error = std::string("--") + name + " must be a whole number, not '" + text + "'";
    return false;
  }
  out = v;
  return true;
}

bool readDouble(const ParsedArgs& args, const char* name, double& out, std::string& error) {
  if (!args.has(name)) return true;
  const std::string text = args.value(name);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') {
    error = std::string("--") + name + " must be a number, not '" + text + "'";
    return false;
  }
  out = v;
  return true;
}

int runPretrainBenchCommand(const ParsedArgs& args) {
  PretrainBenchOptions o;
  o.encoder = args.value("encoder", o.encoder);
  o.traceFile = args.value("trace");
  int64_t steps = o.steps, warmup = o.warmup, threads = o.threads, seed = 1;
  std::string error;
  bool ok = readInt(args, "layers", o.layers, error) && readInt(args, "dim", o.dim, error) &&
            readInt(args, "heads", o.heads, error) && readInt(args, "seq", o.seq, error) &&
            readInt(args, "batch", o.batch, error) && readInt(args, "vocab", o.vocab, error) &&
            readInt(args, "steps", steps, error) && readInt(args, "warmup", warmup, error) &&
            readInt(args, "threads", threads, error) && readInt(args, "seed", seed, error) &&
            readDouble(args, "mask-rate", o.maskRate, error) &&
            readDouble(args, "dropout", o.dropout, error) &&
            readDouble(args, "lr", o.learningRate, error);
  if (!ok) return fail(error, kExitUsage);
  o.steps = static_cast<int>(steps);
  o.warmup = static_cast<int>(warmup);
  o.threads = static_cast<int>(threads);
  o.seed = static_cast<uint64_t>(seed);

  auto r = runPretrainBench(o);
  if (!r) return fail(r.error().message, kExitUsage);
  if (args.has("json")) {
    nlohmann::json j;
    j["impl"] = "productlens";
    j["encoder"] = o.encoder;
    j["layers"] = o.layers;
    j["dim"] = o.dim;
    j["heads"] = o.heads;
    j["seq"] = o.seq;
    j["batch"] = o.batch;
    j["vocab"] = o.vocab;
    j["mask_rate"] = o.maskRate;
    j["threads"] = r->threads;
    j["steps"] = r->steps;
    j["parameters"] = r->parameters;
    j["seconds"] = r->seconds;
    j["ms_per_step"] = r->msPerStep;
    j["tokens_per_s"] = r->tokensPerSecond;
    j["products_per_s"] = r->productsPerSecond;
    j["masked_per_step"] = r->maskedPerStep;
    j["first_loss"] = r->firstLoss;
    j["last_loss"] = r->lastLoss;
    for (const auto& s : r->sections) j["sections_ms"][s.name] = s.msPerStep;
    j["runtime"] = r->runtime;
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("productlens bench pretrain: %s, layers %lld, dim %lld, heads %lld, seq %lld, "
              "batch %lld, vocab %lld, mask rate %.2f\n",
              o.encoder.c_str(), static_cast<long long>(o.layers), static_cast<long long>(o.dim),
              static_cast<long long>(o.heads), static_cast<long long>(o.seq),
              static_cast<long long>(o.batch), static_cast<long long>(o.vocab), o.maskRate);
  std::printf("%s\n", r->runtime.c_str());
  std::printf("threads %d, %lld parameters, %d timed steps after %d warm-up\n", r->threads,
              static_cast<long long>(r->parameters), r->steps, o.warmup);
  std::printf("%.0f tokens/s  %.1f ms/step  %.0f products/s  (%.0f masked positions/step, "
              "loss %.3f -> %.3f)\n",
              r->tokensPerSecond, r->msPerStep, r->productsPerSecond, r->maskedPerStep,
              r->firstLoss, r->lastLoss);
  std::printf("time per step:");
  for (const auto& s : r->sections) std::printf("  %s %.1f ms", s.name.c_str(), s.msPerStep);
  std::printf("\n");
  return kExitOk;
}

}  // namespace

int runBench(const ParsedArgs& args) {
  const std::string what = args.positional[0];
  if (what == "pretrain") return runPretrainBenchCommand(args);
  if (what == "neighbors") return runNeighborsBench(args);
  if (what == "projection") return runProjectionBench(args);
  if (what == "images") return runImagesBench(args);
  return fail("bench: unknown benchmark '" + what + "' (available: pretrain, neighbors, projection, images)",
              kExitUsage);
}

}  // namespace pl::cli
