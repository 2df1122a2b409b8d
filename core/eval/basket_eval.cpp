#include "eval/basket_eval.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <unordered_map>

#include "eval/cooccurrence.h"
#include "eval/eval_results.h"
#include "eval/neighbour_eval.h"
#include "eval/ranking_metrics.h"
#include "eval/sparse_query_knn.h"
#include "eval/tfidf.h"
#include "neighbors/neighbor_search.h"
#include "store/run_store.h"

namespace pl {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The held-out baskets' queries for products that `usable` accepts.
struct HeldOut {
  std::vector<BasketQuery> queries;
  int64_t trainingBaskets = 0;
};

Result<HeldOut> heldOutQueries(Database& db, const std::function<bool(int64_t)>& usable,
                               const std::string& what) {
  BasketSplit split = ensureBasketSplit(db);
  if (split.testBaskets.empty()) {
    return Error{"the project has fewer than two baskets with two or more products, so none can be "
                 "held out for evaluation; import a baskets file first (import --baskets)"};
  }
  HeldOut out;
  out.queries = basketQueries(loadBaskets(db, split, BasketSet::HeldOut), usable);
  if (out.queries.empty()) {
    return Error{"no held-out basket has two products with " + what};
  }
  std::unordered_map<int64_t, int64_t> bought;  // training baskets per product
  for (const auto& b : loadBaskets(db, split, BasketSet::Training, 1)) {
    for (int64_t p : b.products) ++bought[p];
  }
  for (auto& q : out.queries) {
    q.cold = split.isCold(q.product);
    auto it = bought.find(q.product);
    q.tail = !q.cold && (it == bought.end() || it->second < kTailBaskets);
  }
  int64_t eligible = db.scalar(
      "SELECT count(*) FROM (SELECT basket_id FROM basket_items GROUP BY basket_id HAVING count(*) >= 2)");
  out.trainingBaskets = eligible - static_cast<int64_t>(split.testBaskets.size());
  return out;
}

Result<BasketScores> finish(Database& db, BasketScores scores, Clock::time_point start) {
  scores.seconds = secondsSince(start);
  EvalResult stored;
  stored.subject = scores.subject;
  stored.method = "baskets";
  const std::string at = "_at_" + std::to_string(scores.k);
  stored.metrics = {{"recall" + at, scores.recallAtK}, {"ndcg" + at, scores.ndcgAtK}};
  // Slices with queries only: a metric of no query would read as a zero score.
  for (const auto& [name, slice] : {std::pair{"tail", scores.tail}, std::pair{"cold", scores.cold}}) {
    if (slice.queries == 0) continue;
    stored.metrics[std::string(name) + "_recall" + at] = slice.recallAtK;
    stored.metrics[std::string(name) + "_ndcg" + at] = slice.ndcgAtK;
    stored.metrics[std::string(name) + "_queries"] = static_cast<double>(slice.queries);
  }
  stored.trainItems = scores.trainingBaskets;
  stored.testItems = scores.queries;
  stored.seconds = scores.seconds;
  try {
    saveEvalResult(db, stored);
  } catch (const StoreError& e) {
    return Error{"the co-purchase scores could not be stored in " + db.path() + ": " + e.what()};
  }
  return scores;
}

}  // namespace

std::vector<BasketQuery> basketQueries(const std::vector<Basket>& baskets,
                                       const std::function<bool(int64_t)>& usable,
                                       const BasketQueryOptions& options) {
  std::vector<BasketQuery> queries;
  for (const auto& basket : baskets) {
    std::vector<int64_t> products;
    for (int64_t p : basket.products) {
      if (usable(p)) products.push_back(p);
    }
    if (products.size() < 2) continue;
    for (int64_t p : products) {
      BasketQuery q;
      q.basket = basket.id;
      q.product = p;
      for (int64_t other : products) {
        if (other != p) q.relevant.push_back(other);
      }
      queries.push_back(std::move(q));
    }
  }
  if (queries.size() > options.maxQueries) {
    std::vector<size_t> order(queries.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(options.seed * 7919ULL + 0xba5);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(options.maxQueries);
    std::sort(order.begin(), order.end());
    std::vector<BasketQuery> sample;
    sample.reserve(order.size());
    for (size_t i : order) sample.push_back(std::move(queries[i]));
    queries = std::move(sample);
  }
  return queries;
}

BasketScores scoreBasketQueries(const std::vector<BasketQuery>& queries,
                                const std::vector<std::vector<int64_t>>& ranked, int k) {
  BasketScores s;
  s.k = k;
  s.queries = static_cast<int64_t>(queries.size());
  std::set<int64_t> baskets;
  double recall = 0, ndcg = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    baskets.insert(queries[i].basket);
    const double r = recallAtK(ranked[i], queries[i].relevant, k);
    const double n = ndcgAtK(ranked[i], queries[i].relevant, k);
    recall += r;
    ndcg += n;
    for (auto [in, slice] : {std::pair{queries[i].tail, &s.tail}, std::pair{queries[i].cold, &s.cold}}) {
      if (!in) continue;
      ++slice->queries;
      slice->recallAtK += r;
      slice->ndcgAtK += n;
    }
  }
  for (BasketScores::Slice* slice : {&s.tail, &s.cold}) {
    if (slice->queries == 0) continue;
    slice->recallAtK /= static_cast<double>(slice->queries);
    slice->ndcgAtK /= static_cast<double>(slice->queries);
  }
  s.baskets = static_cast<int64_t>(baskets.size());
  if (!queries.empty()) {
    s.recallAtK = recall / static_cast<double>(queries.size());
    s.ndcgAtK = ndcg / static_cast<double>(queries.size());
  }
  return s;
}

std::vector<std::vector<int64_t>> rankByEmbeddings(std::shared_ptr<const EmbeddingMatrix> matrix,
                                                   const std::vector<BasketQuery>& queries, int k,
                                                   JobContext& context) {
  auto search = makeExactSearch(matrix);
  std::vector<std::vector<int64_t>> ranked;
  ranked.reserve(queries.size());
  const size_t block = 1024;
  std::vector<float> vectors;
  std::vector<int64_t> rows;
  for (size_t begin = 0; begin < queries.size(); begin += block) {
    if (context.stopRequested()) return {};
    size_t end = std::min(queries.size(), begin + block);
    vectors.clear();
    rows.clear();
    for (size_t i = begin; i < end; ++i) {
      int64_t row = matrix->indexOf(queries[i].product);
      rows.push_back(row);
      vectors.insert(vectors.end(), matrix->row(row), matrix->row(row) + matrix->dim);
    }
    auto hits = search->searchManyExcluding(vectors.data(), static_cast<int64_t>(rows.size()), k, rows.data());
    for (const auto& list : hits) {
      std::vector<int64_t> ids;
      for (const auto& n : list) {
        if (n.row >= 0) ids.push_back(matrix->rowIds[static_cast<size_t>(n.row)]);
      }
      ranked.push_back(std::move(ids));
    }
    context.progress(static_cast<int64_t>(end), static_cast<int64_t>(queries.size()),
                     "Searching co-purchases");
  }
  return ranked;
}

Result<BasketScores> evaluateRunBaskets(Project& project, const std::string& runName, int k,
                                        JobContext& context) {
  auto start = Clock::now();
  Database& db = project.db();
  auto run = findRun(db, runName);
  if (!run) return Error{"there is no run named '" + runName + "'"};
  auto loaded = loadEmbeddingMatrix(db, run->id, runName);
  if (!loaded) return loaded.error();
  auto matrix = std::make_shared<const EmbeddingMatrix>(std::move(*loaded));
  auto heldOut = heldOutQueries(db, [&](int64_t id) { return matrix->indexOf(id) >= 0; },
                                "embeddings of run '" + runName + "'; embed the run again");
  if (!heldOut) return heldOut.error();
  auto ranked = rankByEmbeddings(matrix, heldOut->queries, k, context);
  if (context.stopRequested()) return Error{"evaluation cancelled"};
  BasketScores scores = scoreBasketQueries(heldOut->queries, ranked, k);
  scores.subject = runName;
  scores.trainingBaskets = heldOut->trainingBaskets;
  return finish(db, scores, start);
}

Result<BasketScores> evaluateTfidfBaskets(Project& project, const std::vector<std::string>& textFields,
                                          int k, JobContext& context) {
  auto start = Clock::now();
  Database& db = project.db();
  std::vector<int64_t> ids;
  {
    auto st = db.prepare("SELECT id FROM products ORDER BY id");
    while (st.step()) ids.push_back(st.int64(0));
  }
  auto rowOf = [&](int64_t id) {
    auto it = std::lower_bound(ids.begin(), ids.end(), id);
    return it != ids.end() && *it == id ? static_cast<int64_t>(it - ids.begin()) : int64_t{-1};
  };
  auto heldOut = heldOutQueries(db, [&](int64_t id) { return rowOf(id) >= 0; }, "a product row");
  if (!heldOut) return heldOut.error();
  context.progress(0, 1, "Computing TF-IDF features");
  TfidfFeatures features = tfidfFeatures(loadProductTexts(db, ids, textFields));
  std::vector<int64_t> queryRows;
  for (const auto& q : heldOut->queries) queryRows.push_back(rowOf(q.product));
  auto top = sparseQueryTopK(features.matrix, queryRows, k, context);
  if (context.stopRequested()) return Error{"evaluation cancelled"};
  std::vector<std::vector<int64_t>> ranked;
  ranked.reserve(top.size());
  for (const auto& list : top) {
    std::vector<int64_t> products;
    for (int32_t r : list) products.push_back(ids[static_cast<size_t>(r)]);
    ranked.push_back(std::move(products));
  }
  BasketScores scores = scoreBasketQueries(heldOut->queries, ranked, k);
  scores.subject = "tf-idf";
  scores.trainingBaskets = heldOut->trainingBaskets;
  return finish(db, scores, start);
}

Result<BasketScores> evaluatePopularityBaskets(Project& project, int k, JobContext& context) {
  auto start = Clock::now();
  Database& db = project.db();
  auto heldOut = heldOutQueries(db, [](int64_t) { return true; }, "a product row");
  if (!heldOut) return heldOut.error();
  context.progress(0, 1, "Counting purchases");
  // Counted on training baskets only: the held-out ones are the answers.
  std::unordered_map<int64_t, int64_t> bought;
  for (const auto& b : loadBaskets(db, ensureBasketSplit(db), BasketSet::Training)) {
    for (int64_t p : b.products) ++bought[p];
  }
  std::vector<std::pair<int64_t, int64_t>> byCount(bought.begin(), bought.end());
  auto keep = std::min(byCount.size(), static_cast<size_t>(std::max(k, 0)) + 1);
  std::partial_sort(byCount.begin(), byCount.begin() + static_cast<std::ptrdiff_t>(keep), byCount.end(),
                    [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::vector<std::vector<int64_t>> ranked;
  ranked.reserve(heldOut->queries.size());
  for (const auto& q : heldOut->queries) {
    std::vector<int64_t> list;
    for (size_t i = 0; i < keep && static_cast<int>(list.size()) < k; ++i) {
      if (byCount[i].first != q.product) list.push_back(byCount[i].first);
    }
    ranked.push_back(std::move(list));
  }
  BasketScores scores = scoreBasketQueries(heldOut->queries, ranked, k);
  scores.subject = "popularity";
  scores.trainingBaskets = heldOut->trainingBaskets;
  return finish(db, scores, start);
}

Result<BasketScores> evaluateCooccurrenceBaskets(Project& project, int k, JobContext& context) {
  auto start = Clock::now();
  Database& db = project.db();
  auto heldOut = heldOutQueries(db, [](int64_t) { return true; }, "a product row");
  if (!heldOut) return heldOut.error();
  context.progress(0, 1, "Counting co-purchases");
  // Counted on training baskets only: the held-out ones are the answers.
  const CooccurrenceCounts counts(loadBaskets(db, ensureBasketSplit(db), BasketSet::Training));
  std::vector<std::vector<int64_t>> ranked;
  ranked.reserve(heldOut->queries.size());
  for (size_t i = 0; i < heldOut->queries.size(); ++i) {
    if (i % 256 == 0) {
      if (context.stopRequested()) return Error{"evaluation cancelled"};
      context.progress(static_cast<int64_t>(i), static_cast<int64_t>(heldOut->queries.size()),
                       "Ranking co-purchases");
    }
    ranked.push_back(counts.recommend(heldOut->queries[i].product, k));
  }
  BasketScores scores = scoreBasketQueries(heldOut->queries, ranked, k);
  scores.subject = "co-occurrence";
  scores.trainingBaskets = heldOut->trainingBaskets;
  return finish(db, scores, start);
}

}  // namespace pl
