// `neighbors`: the products most similar to a product or to a text query.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"
#include "neighbors/neighbor_search.h"
#include "neighbors/query_encoder.h"
#include "store/product_queries.h"
#include "store/run_store.h"

namespace pl::cli {

namespace {

/// The matrix row of the product with catalog id `id`, or an error naming it.
Result<int64_t> productRow(Database& db, const EmbeddingMatrix& matrix, const std::string& id,
                           const std::string& runName) {
  auto st = db.prepare("SELECT id FROM products WHERE ext_id = ? ORDER BY id");
  st.bind(1, id);
  bool exists = false;
  while (st.step()) {
    exists = true;
    // Several catalogs may share an id; the first one the run embedded answers.
    if (int64_t row = matrix.indexOf(st.int64(0)); row >= 0) return row;
  }
  if (exists)
    return Error{"product '" + id + "' has no embedding in run '" + runName +
                 "'; run 'embed' again"};
  return Error{"there is no product with id '" + id + "' in the project"};
}

void printJson(const ParsedArgs& args, const NeighborSearch& search,
               const std::vector<Neighbor>& hits, const std::vector<ProductRow>& rows) {
  nlohmann::json j;
  j["run"] = args.value("run");
  j["method"] = neighborMethodName(search.method());
  if (args.has("product")) j["product"] = args.value("product");
  if (args.has("query")) j["query"] = args.value("query");
  j["neighbors"] = nlohmann::json::array();
  for (size_t i = 0; i < hits.size(); ++i) {
    j["neighbors"].push_back({{"rank", i + 1},
                              {"id", rows[i].id},
                              {"similarity", hits[i].similarity},
                              {"title", rows[i].title},
                              {"brand", rows[i].brand},
                              {"category", rows[i].category}});
  }
  std::printf("%s\n", j.dump(2).c_str());
}

void printTable(const ParsedArgs& args, const NeighborSearch& search,
                const std::vector<Neighbor>& hits, const std::vector<ProductRow>& rows) {
  const std::string what =
      args.has("product") ? "product " + args.value("product") : "\"" + args.value("query") + "\"";
  std::printf("Nearest to %s (run %s, %s search over %lld products)\n", what.c_str(),
              args.value("run").c_str(), neighborMethodName(search.method()).c_str(),
              static_cast<long long>(search.matrix().rows()));
  std::printf("%4s  %-10s  %6s  %s | %s\n", "rank", "id", "cosine", "title", "category");
  for (size_t i = 0; i < hits.size(); ++i) {
    std::printf("%4zu  %-10s  %6.3f  %s | %s\n", i + 1, rows[i].id.c_str(), hits[i].similarity,
                rows[i].title.c_str(), rows[i].category.c_str());
  }
}

}  // namespace

int runNeighbors(const ParsedArgs& args) {
  if (!args.has("run")) return fail("--run NAME is required", kExitUsage);
  if (args.has("product") == args.has("query")) {
    return fail("give either --product ID or --query TEXT", kExitUsage);
  }
  int64_t k = 10;
  if (args.has("k")) {
    auto v = args.integer("k", 1, 10000);
    if (!v) return fail(v.error().message, kExitUsage);
    k = *v;
  }
  auto method = parseNeighborMethod(args.value("method", "auto"));
  if (!method) return fail(method.error().message, kExitUsage);

  // Writable: an older project is migrated on open, as by every command that uses runs.
  auto project = Project::open(args.positional[0]);
  if (!project) return fail(project.error().message);
  Database& db = (*project)->db();
  const std::string runName = args.value("run");
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  try {
    auto run = findRun(db, runName);
    if (!run) return fail("there is no run named '" + runName + "' in " + args.positional[0]);
    auto loaded = loadEmbeddingMatrix(db, run->id, runName);
    if (!loaded) return fail(loaded.error().message);
    auto matrix = std::make_shared<const EmbeddingMatrix>(std::move(*loaded));

    std::vector<float> query;
    int64_t exclude = -1;
    if (args.has("product")) {
      auto row = productRow(db, *matrix, args.value("product"), runName);
      if (!row) return fail(row.error().message);
      exclude = *row;
      query.assign(matrix->row(*row), matrix->row(*row) + matrix->dim);
    } else {
      auto encoder = QueryEncoder::open(**project, runName);
      if (!encoder) return fail(encoder.error().message);
      auto encoded = (*encoder)->encode(args.value("query"));
      if (!encoded) return fail(encoded.error().message);
      if (static_cast<int64_t>(encoded->size()) != matrix->dim) {
        return fail("run '" + runName +
                    "' has stored embeddings of another size than its model; run 'embed' again");
      }
      query = std::move(*encoded);
    }
    auto search = openNeighborSearch(**project, runName, *method, context, matrix);
    bar.finish();
    if (!search) return fail(search.error().message);
    auto hits = (*search)->search(query.data(), static_cast<int>(k), exclude);
    std::vector<int64_t> rowIds;
    for (const auto& h : hits) rowIds.push_back(matrix->rowIds[static_cast<size_t>(h.row)]);
    auto rows = loadProductRows(db, rowIds);
    if (args.has("json")) {
      printJson(args, **search, hits, rows);
    } else {
      printTable(args, **search, hits, rows);
    }
    return kExitOk;
  } catch (const StoreError& e) {
    return fail("cannot read " + args.positional[0] + ": " + e.what());
  }
}

}  // namespace pl::cli
