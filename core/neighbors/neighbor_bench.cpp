#include "neighbors/neighbor_bench.h"

#include <dlfcn.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <unordered_set>

#include "model/torch_runtime.h"
#include "neighbors/exact_search.h"
#include "neighbors/hnsw_search.h"
#include "neighbors/synthetic_clusters.h"
#include "store/project.h"
#include "store/run_store.h"

namespace pl {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// CPU seconds of the whole process (all its threads). Other jobs on a shared
/// machine stretch wall-clock times but not this, so the report gives both.
double processCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

/// OpenBLAS's own thread count (0 when another BLAS is loaded): exact
/// search's matrix products run on these, so the report names them.
int openBlasThreads() {
  using GetThreads = int (*)();
  auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return get ? get() : 0;
}

/// The vectors to index and the queries: a run's embeddings with sampled
/// rows as queries (each leaving itself out), or synthetic clusters with
/// fresh draws from the same mixture.
struct BenchData {
  std::shared_ptr<const EmbeddingMatrix> matrix;
  std::vector<float> queries;
  std::vector<int64_t> excluded;  ///< per query; -1 for synthetic queries
  std::string description;
};

Result<BenchData> benchData(const NeighborBenchOptions& o) {
  BenchData data;
  if (o.projectPath.empty()) {
    SyntheticClusterSpec spec;
    spec.points = o.points;
    spec.dim = o.dim;
    spec.clusters = o.clusters;
    spec.seed = o.seed;
    data.matrix = std::make_shared<const EmbeddingMatrix>(makeSyntheticClusters(spec));
    spec.points = o.queries;
    data.queries = makeSyntheticClusters(spec, nullptr, /*drawSeed=*/1).values;
    data.excluded.assign(static_cast<size_t>(o.queries), -1);
    data.description =
        "synthetic clusters (" + std::to_string(o.clusters) + " in a 32-d subspace, noise 0.3)";
    return data;
  }
  auto project = Project::open(o.projectPath);  // writable: older projects are migrated
  if (!project) return project.error();
  auto run = findRun((*project)->db(), o.runName);
  if (!run) return Error{"there is no run named '" + o.runName + "' in " + o.projectPath};
  auto loaded = loadEmbeddingMatrix((*project)->db(), run->id, o.runName);
  if (!loaded) return loaded.error();
  data.matrix = std::make_shared<const EmbeddingMatrix>(std::move(*loaded));
  const int64_t rows = data.matrix->rows();
  std::vector<int64_t> all(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) all[static_cast<size_t>(i)] = i;
  std::shuffle(all.begin(), all.end(), std::mt19937_64(o.seed));
  all.resize(static_cast<size_t>(std::min(o.queries, rows)));
  for (int64_t row : all) {
    data.queries.insert(data.queries.end(), data.matrix->row(row),
                        data.matrix->row(row) + data.matrix->dim);
    data.excluded.push_back(row);
  }
  data.description = "run '" + o.runName + "' of " + o.projectPath;
  return data;
}

/// Share of the exact top-k rows found. Catalogs hold duplicates (equal
/// titles give equal vectors), and among tied rows any is a right answer, so
/// `byDistance` counts a hit when its similarity reaches the k-th exact one
/// (as ann-benchmarks does; 1e-5 absorbs the two kernels' rounding).
double recallOf(const std::vector<std::vector<Neighbor>>& got,
                const std::vector<std::vector<Neighbor>>& truth, bool byDistance) {
  int64_t hits = 0, total = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    total += static_cast<int64_t>(truth[q].size());
    if (truth[q].empty()) continue;
    if (byDistance) {
      const float threshold = truth[q].back().similarity - 1e-5f;
      int64_t reached = 0;
      for (const auto& n : got[q]) reached += n.similarity >= threshold ? 1 : 0;
      hits += std::min<int64_t>(reached, static_cast<int64_t>(truth[q].size()));
      continue;
    }
    std::unordered_set<int64_t> found;
    for (const auto& n : got[q]) found.insert(n.row);
    for (const auto& n : truth[q]) hits += found.count(n.row) ? 1 : 0;
  }
  return total ? static_cast<double>(hits) / static_cast<double>(total) : 1.0;
}

/// Answers every query one at a time on `threads` threads (each takes the next query).
std::vector<std::vector<Neighbor>> searchOneByOne(const NeighborSearch& search,
                                                  const BenchData& data, int k, int threads) {
  const auto count = static_cast<int64_t>(data.excluded.size());
  std::vector<std::vector<Neighbor>> answers(static_cast<size_t>(count));
  std::atomic<int64_t> next{0};
  auto work = [&] {
    for (int64_t q = next++; q < count; q = next++) {
      answers[static_cast<size_t>(q)] = search.search(data.queries.data() + q * search.matrix().dim,
                                                      k, data.excluded[static_cast<size_t>(q)]);
    }
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (auto& h : helpers) h.join();
  return answers;
}

}  // namespace

Result<NeighborBenchReport> runNeighborBench(const NeighborBenchOptions& o, JobContext& context) {
  if (o.points < 1 || o.dim < 1 || o.queries < 1 || o.k < 1 || o.clusters < 1 || o.threads < 1) {
    return Error{
        "bench neighbors needs positive --n, --dim, --queries, --k, --clusters and --threads"};
  }
  setTorchThreads(o.threads);
  context.progress(0, 1, "Preparing vectors");
  auto data = benchData(o);
  if (!data) return data.error();
  const EmbeddingMatrix& m = *data->matrix;
  NeighborBenchReport r;
  r.data = data->description;
  r.rows = m.rows();
  r.dim = m.dim;
  r.queries = static_cast<int64_t>(data->excluded.size());
  r.k = o.k;
  r.threads = o.threads;
  r.runtime = torchRuntimeSummary();
  r.blasThreads = openBlasThreads();

  auto exact = makeExactSearch(data->matrix, o.threads);
  r.exactBytes = m.rows() * m.dim * static_cast<int64_t>(sizeof(float));
  auto start = Clock::now();
  (void)exact->search(data->queries.data(), o.k, -1);  // warm-up: BLAS threads, first touch, int8 copy
  r.exactPrepareSeconds = secondsSince(start);
  r.exactScanBytes = exact->indexBytes();
  r.exactSingleQueries = std::min(r.queries, std::max<int64_t>(1, o.singleQueries));
  std::vector<std::vector<Neighbor>> single(static_cast<size_t>(r.exactSingleQueries));
  double cpu = processCpuSeconds();
  start = Clock::now();
  for (int64_t q = 0; q < r.exactSingleQueries; ++q) {
    single[static_cast<size_t>(q)] = exact->search(data->queries.data() + q * m.dim, o.k,
                                                   data->excluded[static_cast<size_t>(q)]);
  }
  r.exactSingleMs = 1000 * secondsSince(start) / static_cast<double>(r.exactSingleQueries);
  r.exactSingleCpuMs =
      1000 * (processCpuSeconds() - cpu) / static_cast<double>(r.exactSingleQueries);
  cpu = processCpuSeconds();
  start = Clock::now();
  auto truth =
      exact->searchManyExcluding(data->queries.data(), r.queries, o.k, data->excluded.data());
  const double batched = secondsSince(start);
  r.exactBatchedMs = 1000 * batched / static_cast<double>(r.queries);
  r.exactBatchedQps = static_cast<double>(r.queries) / batched;
  r.exactBatchedCpuMs = 1000 * (processCpuSeconds() - cpu) / static_cast<double>(r.queries);
  r.exactSingleAgreement = recallOf(
      single, {truth.begin(), truth.begin() + static_cast<std::ptrdiff_t>(single.size())}, false);
  if (o.exactOnly) return r;

  HnswOptions hnswOptions = o.hnsw;
  hnswOptions.threads = o.threads;
  cpu = processCpuSeconds();
  start = Clock::now();
  auto built = buildHnswSearch(data->matrix, hnswOptions, context);
  if (!built) return built.error();
  r.hnswBuildSeconds = secondsSince(start);
  r.hnswBuildCpuSeconds = processCpuSeconds() - cpu;
  r.hnswBytes = (*built)->indexBytes();
  for (int ef : o.efSearch) {
    // The beam is a query-time setting: one built graph serves every beam.
    if (Status s = setHnswEfSearch(**built, ef); !s) return s.error();
    const NeighborSearch* hnsw = built->get();
    (void)searchOneByOne(*hnsw, *data, o.k, o.threads);  // warm-up: page in the graph
    NeighborBenchReport::HnswSearchFigures f;
    cpu = processCpuSeconds();
    start = Clock::now();
    auto answers = searchOneByOne(*hnsw, *data, o.k, o.threads);
    const double seconds = secondsSince(start);
    f.cpuMsPerQuery = 1000 * (processCpuSeconds() - cpu) / static_cast<double>(r.queries);
    f.efSearch = ef;
    f.queriesPerSecond = static_cast<double>(r.queries) / seconds;
    f.msPerQuery = 1000 * seconds * o.threads / static_cast<double>(r.queries);
    f.recall = recallOf(answers, truth, true);
    f.recallOfIds = recallOf(answers, truth, false);
    r.hnsw.push_back(f);
  }
  return r;
}

}  // namespace pl
