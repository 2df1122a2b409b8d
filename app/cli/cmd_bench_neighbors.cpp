// `bench neighbors`: exact vs HNSW search (core/neighbors/neighbor_bench.h).
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "neighbors/neighbor_bench.h"

namespace pl::cli {

namespace {

/// Reads an optional positive whole-number flag into `out`; false with a message otherwise.
template <typename T>
bool readPositive(const ParsedArgs& args, const char* name, T& out, std::string& error) {
  if (!args.has(name)) return true;
  const std::string text = args.value(name);
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 1) {
    error = std::string("--") + name + " must be a positive whole number, not '" + text + "'";
    return false;
  }
  out = static_cast<T>(v);
  return true;
}

/// --ef-search takes one beam or a comma-separated list to sweep on one built index.
bool readBeams(const ParsedArgs& args, std::vector<int>& out, std::string& error) {
  if (!args.has("ef-search")) return true;
  out.clear();
  const std::string text = args.value("ef-search");
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 1) {
      error = "--ef-search must be a positive whole number or a list like 32,64,128, not '" + text +
              "'";
      return false;
    }
    out.push_back(static_cast<int>(v));
    at = comma + 1;
  }
  return true;
}

void printJson(const NeighborBenchOptions& o, const NeighborBenchReport& r) {
  nlohmann::json j;
  j["data"] = r.data;
  j["rows"] = r.rows;
  j["dim"] = r.dim;
  j["queries"] = r.queries;
  j["k"] = r.k;
  j["threads"] = r.threads;
  j["blas_threads"] = r.blasThreads;
  j["runtime"] = r.runtime;
  j["exact"] = {{"single_query_ms", r.exactSingleMs},
                {"single_query_cpu_ms", r.exactSingleCpuMs},
                {"batched_cpu_ms_per_query", r.exactBatchedCpuMs},
                {"single_queries_timed", r.exactSingleQueries},
                {"batched_ms_per_query", r.exactBatchedMs},
                {"batched_queries_per_s", r.exactBatchedQps},
                {"bytes", r.exactBytes},
                {"prepare_s", r.exactPrepareSeconds},
                {"scan_bytes", r.exactScanBytes},
                {"single_agrees_with_batched", r.exactSingleAgreement}};
  j["hnsw"] = {{"m", o.hnsw.m},
               {"ef_construction", o.hnsw.efConstruction},
               {"build_s", r.hnswBuildSeconds},
               {"build_cpu_s", r.hnswBuildCpuSeconds},
               {"bytes", r.hnswBytes},
               {"search", nlohmann::json::array()}};
  for (const auto& f : r.hnsw) {
    j["hnsw"]["search"].push_back({{"ef_search", f.efSearch},
                                   {"queries_per_s", f.queriesPerSecond},
                                   {"ms_per_query", f.msPerQuery},
                                   {"cpu_ms_per_query", f.cpuMsPerQuery},
                                   {"recall_at_k", f.recall},
                                   {"recall_of_ids_at_k", f.recallOfIds}});
  }
  std::printf("%s\n", j.dump(2).c_str());
}

void printText(const NeighborBenchOptions& o, const NeighborBenchReport& r) {
  const double mib = 1024.0 * 1024.0;
  std::printf("productlens bench neighbors: %lld vectors x %lld, %s\n",
              static_cast<long long>(r.rows), static_cast<long long>(r.dim), r.data.c_str());
  std::printf("%s; OpenBLAS threads %d\n", r.runtime.c_str(), r.blasThreads);
  std::printf("%lld queries, k %d, threads %d\n", static_cast<long long>(r.queries), r.k,
              r.threads);
  std::printf(
      "exact: %.2f ms/query one at a time (%lld timed; CPU %.2f ms), %.3f ms/query batched "
      "(%.0f queries/s; CPU %.3f ms), %.1f MiB read in place\n",
      r.exactSingleMs, static_cast<long long>(r.exactSingleQueries), r.exactSingleCpuMs,
      r.exactBatchedMs, r.exactBatchedQps, r.exactBatchedCpuMs,
      static_cast<double>(r.exactBytes) / mib);
  std::printf(
      "exact, first query %.2f s (makes the %.1f MiB int8 copy single queries scan); single "
      "answers equal to batched: %.4f\n",
      r.exactPrepareSeconds, static_cast<double>(r.exactScanBytes) / mib, r.exactSingleAgreement);
  if (o.exactOnly) return;
  std::printf("hnsw (M %d, efConstruction %d): build %.1f s (CPU %.1f s), %.1f MiB\n", o.hnsw.m,
              o.hnsw.efConstruction, r.hnswBuildSeconds, r.hnswBuildCpuSeconds,
              static_cast<double>(r.hnswBytes) / mib);
  for (const auto& f : r.hnsw) {
    std::printf(
        "  efSearch %4d: %.0f queries/s one at a time (%.3f ms/query; CPU %.3f ms), recall@%d %.4f "
        "(same rows %.4f)\n",
        f.efSearch, f.queriesPerSecond, f.msPerQuery, f.cpuMsPerQuery, r.k, f.recall,
        f.recallOfIds);
  }
}

}  // namespace

int runNeighborsBench(const ParsedArgs& args) {
  NeighborBenchOptions o;
  std::string error;
  bool ok = readPositive(args, "n", o.points, error) && readPositive(args, "dim", o.dim, error) &&
            readPositive(args, "queries", o.queries, error) &&
            readPositive(args, "clusters", o.clusters, error) &&
            readPositive(args, "k", o.k, error) && readPositive(args, "m", o.hnsw.m, error) &&
            readPositive(args, "ef-construction", o.hnsw.efConstruction, error) &&
            readBeams(args, o.efSearch, error) && readPositive(args, "threads", o.threads, error) &&
            readPositive(args, "seed", o.seed, error);
  if (!ok) return fail(error, kExitUsage);
  if (args.has("project") != args.has("run")) {
    return fail("--project P.plens and --run NAME go together", kExitUsage);
  }
  o.projectPath = args.value("project");
  o.runName = args.value("run");
  o.exactOnly = args.has("exact-only");
  JobContext context;
  TerminalProgress bar(args.has("json"));
  bar.attach(context);
  auto report = runNeighborBench(o, context);
  bar.finish();
  if (!report) return fail(report.error().message);
  if (args.has("json")) {
    printJson(o, *report);
  } else {
    printText(o, *report);
  }
  return kExitOk;
}

}  // namespace pl::cli
