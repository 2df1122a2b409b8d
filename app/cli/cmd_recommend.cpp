// `recommend`: what to show beside a product ("bought together"), with the
// reason for each item (recommend/recommender.h).
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/arg_parser.h"
#include "cli/commands.h"
#include "recommend/recommender.h"
#include "store/product_queries.h"

namespace pl::cli {

namespace {

/// products.id of the catalog id `id` (the first catalog that has it).
Result<int64_t> productRowId(Database& db, const std::string& id) {
  auto st = db.prepare("SELECT id FROM products WHERE ext_id = ? ORDER BY id LIMIT 1");
  st.bind(1, id);
  if (!st.step()) return Error{"there is no product with id '" + id + "' in the project"};
  return st.int64(0);
}

std::string why(const Recommendation& r) {
  char text[64];
  switch (r.reason) {
    case RecommendationReason::BoughtTogether:
      std::snprintf(text, sizeof text, "bought together %lld time%s", static_cast<long long>(r.baskets),
                    r.baskets == 1 ? "" : "s");
      return text;
    case RecommendationReason::Similar:
      std::snprintf(text, sizeof text, "similar product (cosine %.3f)", r.similarity);
      return text;
    case RecommendationReason::Popular:
      std::snprintf(text, sizeof text, "popular (in %lld baskets)", static_cast<long long>(r.baskets));
      return text;
  }
  return {};
}

}  // namespace

const std::vector<OptionSpec>& recommendOptions() {
  static const std::vector<OptionSpec> options = {
      {"product", "ID", "the catalog id of the product to recommend for"},
      {"run", "NAME", "an embedded run: its nearest products fill in after the co-purchases"},
      {"k", "K", "items to list (default 10)"},
      {"json", "", "machine-readable output"}};
  return options;
}

int runRecommend(const ParsedArgs& args) {
  if (!args.has("product")) return fail("--product ID is required", kExitUsage);
  RecommendOptions o;
  if (args.has("k")) {
    auto k = args.integer("k", 1, 1000);
    if (!k) return fail(k.error().message, kExitUsage);
    o.k = static_cast<int>(*k);
  }
  o.runName = args.value("run");
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  Database& db = (*project)->db();
  try {
    auto product = productRowId(db, args.value("product"));
    if (!product) return fail(product.error().message);
    const auto started = std::chrono::steady_clock::now();
    auto list = recommendFor(**project, *product, o);
    if (!list) return fail(list.error().message);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<int64_t> ids;
    for (const auto& r : *list) ids.push_back(r.product);
    const auto rows = loadProductRows(db, ids);
    if (args.has("json")) {
      nlohmann::json j;
      j["product"] = args.value("product");
      if (!o.runName.empty()) j["run"] = o.runName;
      j["seconds"] = seconds;  // the recommendation itself, not the program's start
      j["recommendations"] = nlohmann::json::array();
      for (size_t i = 0; i < list->size(); ++i) {
        const Recommendation& r = (*list)[i];
        nlohmann::json item = {{"rank", i + 1},
                               {"id", rows[i].id},
                               {"title", rows[i].title},
                               {"reason", recommendationReasonName(r.reason)}};
        if (r.reason == RecommendationReason::Similar) {
          item["similarity"] = r.similarity;
        } else {
          item["baskets"] = r.baskets;
        }
        j["recommendations"].push_back(item);
      }
      std::printf("%s\n", j.dump(2).c_str());
      return kExitOk;
    }
    std::printf("Recommended with product %s:\n", args.value("product").c_str());
    std::printf("%4s  %-10s  %-32s  %s\n", "rank", "id", "reason", "title");
    for (size_t i = 0; i < list->size(); ++i) {
      std::printf("%4zu  %-10s  %-32s  %s\n", i + 1, rows[i].id.c_str(), why((*list)[i]).c_str(),
                  rows[i].title.c_str());
    }
    return kExitOk;
  } catch (const StoreError& e) {
    return fail("cannot read " + args.positional[0] + ": " + e.what());
  }
}

}  // namespace pl::cli
