#include "eval/probe_eval.h"

#include <chrono>
#include <map>

#include "embed/embedding_matrix.h"
#include "image/product_images.h"
#include "eval/label_split.h"
#include "eval/linear_probe.h"
#include "eval/lsa.h"
#include "eval/neighbour_eval.h"
#include "eval/tfidf.h"
#include "store/run_store.h"

namespace pl {

namespace {

// Features of the labelled products: dense rows, or sparse TF-IDF rows;
// row i belongs to rowIds[i].
struct FeatureTable {
  std::vector<int64_t> rowIds;
  std::vector<float> dense;
  int64_t dim = 0;
  SparseRows sparse;
  bool isSparse = false;
};

Result<FeatureTable> loadFeatures(Project& project, const ProbeSource& source, const LabelField& label,
                                  const LabelledItems& items) {
  Database& db = project.db();
  FeatureTable t;
  if (source.kind == ProbeSource::Kind::Run) {
    auto run = findRun(db, source.run);
    if (!run) return Error{"there is no run named '" + source.run + "'"};
    auto config = RunConfig::fromJson(run->configJson, "run '" + source.run + "'");
    if (!config) return config.error();
    if (Status leak = checkNoLabelLeak(*config, label, source.run); !leak) return leak.error();
    auto matrix = loadEmbeddingMatrix(db, run->id, source.run);
    if (!matrix) return matrix.error();
    t.dim = matrix->dim;
    for (int64_t id : items.rowIds) {
      int64_t row = matrix->indexOf(id);
      if (row < 0) continue;
      t.rowIds.push_back(id);
      t.dense.insert(t.dense.end(), matrix->row(row), matrix->row(row) + matrix->dim);
    }
    return t;
  }
  if (source.kind == ProbeSource::Kind::Pixels) {
    auto images = ProductImages::load(db, items.rowIds, source.pixels, /*cacheBytes=*/0);
    std::vector<int32_t> all(items.rowIds.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int32_t>(i);
    t.dim = images->pictureFloats();
    std::vector<float> pixels(all.size() * static_cast<size_t>(t.dim));
    std::vector<uint8_t> present(all.size());
    images->fill(all, nullptr, 0, pixels.data(), present.data(), 4);
    for (size_t i = 0; i < all.size(); ++i) {
      if (!present[i]) continue;
      t.rowIds.push_back(items.rowIds[i]);
      t.dense.insert(t.dense.end(), pixels.begin() + static_cast<int64_t>(i) * t.dim,
                     pixels.begin() + static_cast<int64_t>(i + 1) * t.dim);
    }
    if (t.rowIds.empty()) return Error{"no labelled product has a picture"};
    return t;
  }
  t.rowIds = items.rowIds;
  TfidfFeatures f = tfidfFeatures(loadProductTexts(db, items.rowIds, source.textFields));
  if (source.kind == ProbeSource::Kind::Tfidf) {
    t.sparse = std::move(f.matrix);
    t.isSparse = true;
  } else {
    // LSA is fitted without labels on every labelled product (test ones
    // included), as an unsupervised embedding would be.
    t.dim = source.lsaDim;
    t.dense = lsaEmbedding(f.matrix, source.lsaDim);
  }
  return t;
}

std::vector<float> denseRows(const FeatureTable& t, const std::vector<int64_t>& rows) {
  std::vector<float> out;
  out.reserve(rows.size() * static_cast<size_t>(t.dim));
  for (int64_t r : rows) out.insert(out.end(), t.dense.begin() + r * t.dim, t.dense.begin() + (r + 1) * t.dim);
  return out;
}

}  // namespace

std::string ProbeSource::name() const {
  switch (kind) {
    case Kind::Run: return "run " + run;
    case Kind::Tfidf: return "tf-idf+logreg";
    case Kind::Lsa: return "lsa-" + std::to_string(lsaDim) + "+logreg";
    case Kind::Pixels: return "pixels+logreg";
  }
  return "";
}

Result<std::vector<ProbeResult>> evaluateProbes(Project& project, const ProbeSource& source,
                                                const std::string& labelName,
                                                const std::vector<double>& fractions, JobContext& context) {
  Database& db = project.db();
  auto label = resolveLabelField(db, labelName);
  if (!label) return label.error();
  LabelledItems items = loadLabelledItems(db, *label);
  auto split = ensureLabelSplit(db, label->field.label(), items);
  if (!split) return split.error();
  context.progress(0, 1, "Preparing features");
  auto table = loadFeatures(project, source, *label, items);
  if (!table) return table.error();

  std::map<int64_t, int64_t> rowOf;  // products.id -> feature row
  for (size_t i = 0; i < table->rowIds.size(); ++i) rowOf.emplace(table->rowIds[i], static_cast<int64_t>(i));
  std::map<int64_t, int32_t> labelOf;
  for (size_t i = 0; i < items.rowIds.size(); ++i) labelOf.emplace(items.rowIds[i], items.labels[i]);
  auto rowsAndLabels = [&](const std::vector<int64_t>& ids, std::vector<int64_t>& rows,
                           std::vector<int32_t>& labels) {
    for (int64_t id : ids) {
      auto it = rowOf.find(id);
      if (it == rowOf.end()) continue;
      rows.push_back(it->second);
      labels.push_back(labelOf[id]);
    }
  };
  std::vector<int64_t> testRows;
  std::vector<int32_t> testLabels;
  rowsAndLabels(split->testIds, testRows, testLabels);
  const int classes = static_cast<int>(items.classNames.size());

  std::vector<ProbeResult> results;
  for (double fraction : fractions) {
    auto start = std::chrono::steady_clock::now();
    std::vector<int64_t> trainRows;
    std::vector<int32_t> trainLabels;
    rowsAndLabels(labelledSubset(split->trainIds, items, fraction, split->seed), trainRows, trainLabels);
    ProbeOptions options;
    Result<LinearProbe> probe = Error{""};
    Predictions predicted;
    if (table->isSparse) {
      probe = trainSparseProbe(selectRows(table->sparse, trainRows), trainLabels, classes, options, context);
      if (probe) predicted = predictSparse(*probe, selectRows(table->sparse, testRows));
    } else {
      probe = trainDenseProbe(denseRows(*table, trainRows), table->dim, trainLabels, classes, options, context);
      if (probe) predicted = predictDense(*probe, denseRows(*table, testRows));
    }
    if (!probe) return probe.error();
    ProbeResult r;
    r.source = source.name();
    r.label = label->describe();
    r.fraction = fraction;
    r.trainItems = static_cast<int64_t>(trainRows.size());
    r.testItems = static_cast<int64_t>(testRows.size());
    r.scores = scoreClassification(testLabels, predicted.labels, classes);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace pl
