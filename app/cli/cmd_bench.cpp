// `bench pretrain`: training-step throughput of a text encoder, comparable
// with bench/peer_mlm.py (same flags, same output fields).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <limits>
#include <string>

#include "cli/commands.h"
#include "train/pretrain_bench.h"

namespace pl::cli {

namespace {

int runPretrainBenchCommand(const ParsedArgs& args) {
  PretrainBenchOptions o;
  o.encoder = args.value("encoder", o.encoder);
  o.traceFile = args.value("trace");
  // Every number is read strictly and bounded: sizes from 1, steps within an
  // int, rates finite; the benchmark checks how they fit together.
  constexpr int64_t kInt = std::numeric_limits<int>::max();
  constexpr int64_t kInt64 = std::numeric_limits<int64_t>::max();
  FlagReader read(args);
  read.integer("layers", 1, kInt64, o.layers)
      .integer("dim", 1, kInt64, o.dim)
      .integer("heads", 1, kInt64, o.heads)
      .integer("seq", 1, kInt64, o.seq)
      .integer("batch", 1, kInt64, o.batch)
      .integer("vocab", 1, kInt64, o.vocab)
      .integer("steps", 1, kInt, o.steps)
      .integer("warmup", 0, kInt, o.warmup)
      .integer("threads", 0, kInt, o.threads)
      .integer("seed", 0, kInt64, o.seed)
      .real("mask-rate", 0, 1, o.maskRate)
      .real("dropout", 0, 1, o.dropout)
      .real("lr", 0, 1e12, o.learningRate);
  if (!read.ok()) return fail(read.error(), kExitUsage);

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
