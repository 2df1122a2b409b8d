// `bench neighbors`: exact vs HNSW search (core/neighbors/neighbor_bench.h).
#include <algorithm>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "neighbors/neighbor_bench.h"

namespace pl::cli {

namespace {

/// --ef-search takes one beam or a comma-separated list to sweep on one built index.
Status readBeams(const ParsedArgs& args, std::vector<int>& out) {
  if (!args.has("ef-search")) return Status::success();
  out.clear();
  const std::string text = args.value("ef-search");
  size_t at = 0;
  while (at <= text.size()) {  // an empty item ("64,,128", "") is an error too
    const size_t comma = std::min(text.find(',', at), text.size());
    auto beam = parseInteger(text.substr(at, comma - at), "--ef-search", 1, std::numeric_limits<int>::max());
    if (!beam) return Error{beam.error().message + "; give one beam or a list like 32,64,128"};
    out.push_back(static_cast<int>(*beam));
    at = comma + 1;
  }
  return Status::success();
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
  constexpr int64_t kInt = std::numeric_limits<int>::max();
  constexpr int64_t kInt64 = std::numeric_limits<int64_t>::max();
  FlagReader read(args);
  read.integer("n", 1, kInt64, o.points)
      .integer("dim", 1, kInt64, o.dim)
      .integer("queries", 1, kInt64, o.queries)
      .integer("clusters", 1, kInt, o.clusters)
      .integer("k", 1, kInt, o.k)
      .integer("m", 1, kInt, o.hnsw.m)
      .integer("ef-construction", 1, kInt, o.hnsw.efConstruction)
      .integer("threads", 1, kInt, o.threads)
      .integer("seed", 1, kInt64, o.seed);
  if (!read.ok()) return fail(read.error(), kExitUsage);
  if (Status beams = readBeams(args, o.efSearch); !beams) return fail(beams.error().message, kExitUsage);
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
