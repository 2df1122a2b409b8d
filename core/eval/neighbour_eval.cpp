#include "eval/neighbour_eval.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "embed/embedding_matrix.h"
#include "eval/knn_vote.h"
#include "eval/lsa.h"
#include "eval/sparse_knn.h"
#include "eval/tfidf.h"
#include "image/product_images.h"
#include "neighbors/neighbor_search.h"
#include "store/run_store.h"

namespace pl {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Exact cosine neighbours of the rows of a dense matrix among themselves.
Result<KnnGraph> denseKnn(std::shared_ptr<const EmbeddingMatrix> matrix, int k, JobContext& context) {
  auto search = makeExactSearch(std::move(matrix));
  return buildKnnGraph(*search, k, context);
}

NeighbourScores scoreGraph(const std::vector<int32_t>& labels, const KnnGraph& graph) {
  std::vector<float> similarities(graph.distances.size());
  for (size_t i = 0; i < similarities.size(); ++i) similarities[i] = 1.0f - graph.distances[i];
  return scoreNeighbourLists(labels, graph.k, graph.indices, similarities);
}

}  // namespace

std::vector<std::string> loadProductTexts(Database& db, const std::vector<int64_t>& rowIds,
                                   const std::vector<std::string>& fields) {
  bool title = false, description = false;
  for (const auto& f : fields) {
    title |= f == "title";
    description |= f == "description";
  }
  std::map<int64_t, std::string> byRow;
  auto st = db.prepare("SELECT id, title, description FROM products");
  while (st.step()) {
    std::string text = title ? st.text(1) : "";
    if (description && !st.text(2).empty()) text += (text.empty() ? "" : " ") + st.text(2);
    byRow.emplace(st.int64(0), std::move(text));
  }
  std::vector<std::string> texts;
  texts.reserve(rowIds.size());
  for (int64_t id : rowIds) texts.push_back(byRow[id]);
  return texts;
}

LabelledItems loadLabelledItems(Database& db, const LabelField& label, bool picturedOnly) {
  std::vector<int64_t> all;
  if (picturedOnly) {
    all = picturedProductIds(db);
  } else {
    auto st = db.prepare("SELECT id FROM products ORDER BY id");
    while (st.step()) all.push_back(st.int64(0));
  }
  auto values = loadFieldValues(db, label.field, all);
  std::map<std::string, int32_t> classes;
  for (const auto& v : values) {
    if (!v.empty()) classes.emplace(v, 0);
  }
  LabelledItems items;
  for (auto& [name, index] : classes) {
    index = static_cast<int32_t>(items.classNames.size());
    items.classNames.push_back(name);
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (values[i].empty()) continue;
    items.rowIds.push_back(all[i]);
    items.labels.push_back(classes[values[i]]);
  }
  return items;
}

NeighbourScores scoreNeighbourLists(const std::vector<int32_t>& labels, int k,
                                    const std::vector<int32_t>& indices,
                                    const std::vector<float>& similarities) {
  NeighbourScores s;
  s.k = k;
  s.items = static_cast<int64_t>(labels.size());
  int32_t maxLabel = -1;
  for (int32_t l : labels) maxLabel = std::max(maxLabel, l);
  s.classes = maxLabel + 1;
  int64_t correct = 0;
  double precision = 0;
  std::vector<int32_t> votes;
  std::vector<float> sims;
  for (size_t i = 0; i < labels.size(); ++i) {
    votes.clear();
    sims.clear();
    int same = 0;
    for (int j = 0; j < k; ++j) {
      int32_t n = indices[i * static_cast<size_t>(k) + static_cast<size_t>(j)];
      if (n < 0) continue;
      votes.push_back(labels[static_cast<size_t>(n)]);
      sims.push_back(similarities[i * static_cast<size_t>(k) + static_cast<size_t>(j)]);
      same += labels[static_cast<size_t>(n)] == labels[i];
    }
    correct += voteLabel(votes, sims) == labels[i];
    precision += static_cast<double>(same) / k;
  }
  if (s.items > 0) {
    s.knnAccuracy = static_cast<double>(correct) / static_cast<double>(s.items);
    s.precisionAtK = precision / static_cast<double>(s.items);
  }
  return s;
}

Result<NeighbourScores> evaluateRunNeighbours(Project& project, const std::string& runName,
                                              const std::string& labelName, int k, JobContext& context,
                                              bool picturedOnly) {
  auto start = std::chrono::steady_clock::now();
  Database& db = project.db();
  auto run = findRun(db, runName);
  if (!run) return Error{"there is no run named '" + runName + "'"};
  auto config = RunConfig::fromJson(run->configJson, "run '" + runName + "'");
  if (!config) return config.error();
  auto label = resolveLabelField(db, labelName);
  if (!label) return label.error();
  if (Status leak = checkNoLabelLeak(*config, *label, runName); !leak) return leak.error();
  auto all = loadEmbeddingMatrix(db, run->id, runName);
  if (!all) return all.error();

  context.progress(0, 1, "Reading labels");
  LabelledItems items = loadLabelledItems(db, *label, picturedOnly);
  auto matrix = std::make_shared<EmbeddingMatrix>();
  matrix->dim = all->dim;
  std::vector<int32_t> labels;
  for (size_t i = 0; i < items.rowIds.size(); ++i) {
    int64_t row = all->indexOf(items.rowIds[i]);
    if (row < 0) continue;  // labelled but not embedded (imported after the embed job)
    matrix->rowIds.push_back(items.rowIds[i]);
    matrix->values.insert(matrix->values.end(), all->row(row), all->row(row) + all->dim);
    labels.push_back(items.labels[i]);
  }
  if (labels.size() < 2) return Error{"fewer than two embedded products have " + label->describe()};
  auto graph = denseKnn(matrix, k, context);
  if (!graph) return graph.error();
  NeighbourScores scores = scoreGraph(labels, *graph);
  scores.source = "run " + runName;
  scores.classes = static_cast<int>(items.classNames.size());
  scores.label = label->describe();
  scores.seconds = secondsSince(start);
  return scores;
}

Result<NeighbourScores> evaluateTfidfNeighbours(Project& project, const std::vector<std::string>& textFields,
                                                const std::string& labelName, int k, int64_t lsaDim,
                                                JobContext& context, bool picturedOnly) {
  auto start = std::chrono::steady_clock::now();
  Database& db = project.db();
  auto label = resolveLabelField(db, labelName);
  if (!label) return label.error();
  LabelledItems items = loadLabelledItems(db, *label, picturedOnly);
  if (items.rowIds.size() < 2) return Error{"fewer than two products have " + label->describe()};
  context.progress(0, 1, "Computing TF-IDF features");
  TfidfFeatures features = tfidfFeatures(loadProductTexts(db, items.rowIds, textFields));
  NeighbourScores scores;
  if (lsaDim <= 0) {
    SparseKnn knn = sparseCosineKnn(features.matrix, k, context);
    if (knn.k == 0) return Error{"evaluation cancelled"};
    scores = scoreNeighbourLists(items.labels, k, knn.indices, knn.similarities);
    scores.source = "tf-idf";
  } else {
    context.progress(0, 1, "Truncated SVD (LSA)");
    auto matrix = std::make_shared<EmbeddingMatrix>();
    matrix->dim = lsaDim;
    matrix->rowIds = items.rowIds;
    matrix->values = lsaEmbedding(features.matrix, lsaDim);
    auto graph = denseKnn(matrix, k, context);
    if (!graph) return graph.error();
    scores = scoreGraph(items.labels, *graph);
    scores.source = "lsa-" + std::to_string(lsaDim);
  }
  scores.label = label->describe();
  scores.classes = static_cast<int>(items.classNames.size());
  scores.seconds = secondsSince(start);
  return scores;
}

}  // namespace pl
