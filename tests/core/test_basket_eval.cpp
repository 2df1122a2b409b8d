// Co-purchase retrieval: the held-out baskets are drawn once and never
// trained on, Recall@k / NDCG@k match hand-computed values, the baselines
// and runs are stored side by side, and the retrieval fine-tune learns what
// co-purchased products share.
#include <torch/torch.h>  // before QtTest: Qt's `slots` macro breaks LibTorch headers

#include <QtTest>
#include <cmath>
#include <map>
#include <set>

#include "catalog/catalog_import.h"
#include "embed/embed_job.h"
#include "eval/basket_eval.h"
#include "eval/basket_split.h"
#include "eval/eval_results.h"
#include "finetune/copurchase_pairs.h"
#include "finetune/retrieval_finetune.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train/pretrain_job.h"
#include "train/product_corpus.h"

using namespace pl;

namespace {

std::unique_ptr<Project> importProject(const QTemporaryDir& dir, const QByteArray& catalog,
                                       const QByteArray& baskets) {
  auto p = test::newProject(dir);
  ImportOptions o;
  o.catalogPath = test::writeFile(dir, "catalog.csv", catalog);
  o.basketsPath = test::writeFile(dir, "baskets.csv", baskets);
  JobContext ctx;
  auto r = importCatalog(*p, o, ctx);
  if (!r) qFatal("%s", r.error().message.c_str());
  return p;
}

std::unique_ptr<Project> toyBasketProject(const QTemporaryDir& dir) {
  return importProject(dir, test::toyCatalogCsv(240), test::toyBasketsCsv(240, 120));
}

// 200 products in 20 groups of 10. A product's title is its group's word
// among three noise words (colour, material, noun) that say nothing about
// the group; baskets hold 3 products of one group. Self-supervised views
// weigh all four words alike, so only co-purchases teach that the group
// word is what matters.
std::unique_ptr<Project> groupedBasketProject(const QTemporaryDir& dir) {
  const QStringList groups = {"alpha", "bravo",  "charlie", "delta",    "echo",   "foxtrot", "golf",
                              "hotel", "india",  "juliet",  "kilo",     "lima",   "mike",    "november",
                              "oscar", "papa",   "quebec",  "romeo",    "sierra", "tango"};
  const QStringList colours = {"red", "blue", "green", "black", "white", "grey", "pink", "gold"};
  const QStringList materials = {"cotton", "leather", "wool", "steel", "canvas", "linen"};
  const QStringList nouns = {"shirt", "boot", "scarf", "kettle", "backpack", "watch", "lamp", "mug"};
  QByteArray catalog = "id,title\n";
  for (int i = 0; i < 200; ++i) {
    uint32_t h = static_cast<uint32_t>(i) * 2654435761u;
    QString title = colours[(h >> 3) % colours.size()] + " " + groups[i % 20] + " " +
                    materials[(h >> 9) % materials.size()] + " " + nouns[(h >> 15) % nouns.size()];
    catalog += QString("%1,%2\n").arg(i).arg(title).toUtf8();
  }
  QByteArray baskets = "order_id,product_id\n";
  for (int b = 0; b < 400; ++b) {
    int group = b % 20;
    std::set<int> members;
    for (int k = 0; members.size() < 3; ++k) members.insert(group + 20 * ((b * 7 + k * 3 + b / 20) % 10));
    for (int m : members) baskets += QByteArray::number(b) + "," + QByteArray::number(m) + "\n";
  }
  return importProject(dir, catalog, baskets);
}

RunConfig tinyBowConfig() {
  RunConfig c;
  c.encoder = "text-bow";
  c.objectives = {{"contrastive", 1.0}};
  c.dim = 32;
  c.embeddingDim = 32;
  c.maxLength = 12;
  c.vocabSize = 200;
  c.batch = 32;
  c.epochs = 0;
  c.maxSteps = 60;
  c.lr = 3e-3;
  c.threads = 1;
  c.checkpointEvery = 1000;
  return c;
}

void pretrainAndEmbed(Project& p, const std::string& name) {
  PretrainOptions o;
  o.runName = name;
  o.config = tinyBowConfig();
  JobContext ctx;
  auto r = runPretraining(p, o, ctx);
  QVERIFY2(r, r ? "" : r.error().message.c_str());
  auto e = computeEmbeddings(p, name, ctx);
  QVERIFY2(e, e ? "" : e.error().message.c_str());
}

// A run whose stored vectors are the given 2-D directions (degrees), one per product in id order.
void storeAngleEmbeddings(Project& p, const std::string& run, const std::vector<double>& degrees) {
  auto id = createRun(p.db(), run, "pretrain", RunConfig().toJson());
  QVERIFY(id);
  auto st = p.db().prepare("SELECT id FROM products ORDER BY id");
  size_t i = 0;
  while (st.step()) {
    float v[2] = {static_cast<float>(std::cos(degrees[i] * M_PI / 180)),
                  static_cast<float>(std::sin(degrees[i] * M_PI / 180))};
    p.db().prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?,?,?)")
        .bind(1, *id)
        .bind(2, st.int64(0))
        .bindBlob(3, v, sizeof v)
        .run();
    ++i;
  }
}

std::set<std::pair<int32_t, int32_t>> pairsOf(const std::vector<Basket>& baskets, const ProductCorpus& corpus) {
  std::map<int64_t, int32_t> indexOf;
  for (size_t i = 0; i < corpus.size(); ++i) indexOf[corpus.rowIds[i]] = static_cast<int32_t>(i);
  std::set<std::pair<int32_t, int32_t>> pairs;
  for (const auto& b : baskets) {
    for (size_t i = 0; i < b.products.size(); ++i) {
      for (size_t j = i + 1; j < b.products.size(); ++j) {
        pairs.emplace(indexOf.at(b.products[i]), indexOf.at(b.products[j]));
      }
    }
  }
  return pairs;
}

double scoreOf(Project& p, const std::string& subject, const std::string& metric) {
  for (const auto& r : listEvalResults(p.db())) {
    if (r.subject == subject && r.method == "baskets") return r.metrics.at(metric);
  }
  return -1;
}

}  // namespace

class BasketEvalTest : public QObject {
  Q_OBJECT

 private slots:
  void theSplitIsDrawnOnceStoredAndStableForASeed() {
    QTemporaryDir dir;
    auto p = toyBasketProject(dir);
    QVERIFY(!loadBasketSplit(p->db()));
    auto first = ensureBasketSplit(p->db(), 0.1, 7);
    QCOMPARE(first.testBaskets.size(), size_t{12});  // 10% of 120 baskets of four
    QCOMPARE(first.eligible, int64_t{120});
    QVERIFY(std::is_sorted(first.testBaskets.begin(), first.testBaskets.end()));
    // Reopened and asked for something else: the stored split.
    p.reset();
    p = test::newProject(dir);
    auto again = ensureBasketSplit(p->db(), 0.5, 99);
    QCOMPARE(again.testBaskets, first.testBaskets);
    QCOMPARE(again.seed, uint64_t{7});
    // Another project with the same baskets and seed draws the same; another seed does not.
    QTemporaryDir other, third;
    auto q = toyBasketProject(other);
    QCOMPARE(ensureBasketSplit(q->db(), 0.1, 7).testBaskets, first.testBaskets);
    auto r = toyBasketProject(third);
    QVERIFY(ensureBasketSplit(r->db(), 0.1, 8).testBaskets != first.testBaskets);
    // Held-out and training baskets partition the baskets.
    auto held = loadBaskets(p->db(), again, BasketSet::HeldOut);
    auto training = loadBaskets(p->db(), again, BasketSet::Training);
    QCOMPARE(held.size(), size_t{12});
    QCOMPARE(training.size(), size_t{108});
    for (const auto& b : held) QVERIFY(again.heldOut(b.id));
    for (const auto& b : training) QVERIFY(!again.heldOut(b.id));
  }

  void aProjectWithoutBasketsStoresNoSplit() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "c.csv", test::toyCatalogCsv(20));
    JobContext ctx;
    QVERIFY(importCatalog(*p, o, ctx));
    QVERIFY(ensureBasketSplit(p->db()).testBaskets.empty());
    QVERIFY(!loadBasketSplit(p->db()));
    auto e = evaluatePopularityBaskets(*p, 10, ctx);
    QVERIFY(!e);
    QVERIFY2(e.error().message.find("import --baskets") != std::string::npos, e.error().message.c_str());
  }

  void pretrainingPairsNeverComeFromHeldOutBaskets() {
    QTemporaryDir dir;
    auto p = toyBasketProject(dir);
    ProductCorpus corpus;
    auto st = p->db().prepare("SELECT id FROM products ORDER BY id");
    while (st.step()) corpus.rowIds.push_back(st.int64(0));
    auto pairs = loadBasketPairs(p->db(), corpus);
    auto split = loadBasketSplit(p->db());
    QVERIFY2(split, "the first copurchase load draws and stores the split");
    QCOMPARE(split->testBaskets.size(), size_t{12});
    auto allowed = pairsOf(loadBaskets(p->db(), *split, BasketSet::Training), corpus);
    std::set<std::pair<int32_t, int32_t>> got(pairs.begin(), pairs.end());
    QCOMPARE(got, allowed);  // every training pair, nothing else
    auto heldOnly = pairsOf(loadBaskets(p->db(), *split, BasketSet::HeldOut), corpus);
    int unseen = 0;
    for (const auto& pair : heldOnly) unseen += !allowed.count(pair);
    QVERIFY(unseen > 0);  // the held-out baskets do hold pairs training never saw
    // The fine-tune's pairs: training baskets only, validation baskets apart.
    auto ft = splitCopurchasePairs(loadBaskets(p->db(), *split, BasketSet::Training), corpus, 0.1, 3);
    QCOMPARE(ft.trainBaskets + ft.validationBaskets, int64_t{108});
    QCOMPARE(ft.validationBaskets, int64_t{11});
    for (const auto& pair : ft.train) QVERIFY(allowed.count(pair));
    for (const auto& pair : ft.validation) QVERIFY(allowed.count(pair));
  }

  void coldProductsNeverReachTraining() {
    QTemporaryDir dir;
    auto p = toyBasketProject(dir);
    const BasketSplit split = ensureBasketSplit(p->db(), 0.1, 7);
    std::set<int64_t> bought;
    for (const auto& b : loadBaskets(p->db(), split, BasketSet::All, 1)) bought.insert(b.products.begin(), b.products.end());
    // 5 % of the purchased products, seeded, stored, sorted.
    QCOMPARE(split.coldProducts.size(), size_t(std::llround(0.05 * double(bought.size()))));
    QVERIFY(std::is_sorted(split.coldProducts.begin(), split.coldProducts.end()));
    p.reset();
    p = test::newProject(dir);
    QCOMPARE(ensureBasketSplit(p->db(), 0.5, 99).coldProducts, split.coldProducts);
    QTemporaryDir other;
    auto q = toyBasketProject(other);
    QCOMPARE(ensureBasketSplit(q->db(), 0.1, 7).coldProducts, split.coldProducts);

    // No training basket holds a cold product, no pretraining pair names one;
    // the held-out baskets still do, so they can be scored.
    for (const auto& b : loadBaskets(p->db(), split, BasketSet::Training, 1)) {
      for (int64_t product : b.products) QVERIFY(!split.isCold(product));
    }
    ProductCorpus corpus;
    auto st = p->db().prepare("SELECT id FROM products ORDER BY id");
    while (st.step()) corpus.rowIds.push_back(st.int64(0));
    for (const auto& [a, b] : loadBasketPairs(p->db(), corpus)) {
      QVERIFY(!split.isCold(corpus.rowIds[size_t(a)]) && !split.isCold(corpus.rowIds[size_t(b)]));
    }
    int coldHeldOut = 0;
    for (const auto& b : loadBaskets(p->db(), split, BasketSet::HeldOut)) {
      for (int64_t product : b.products) coldHeldOut += split.isCold(product);
    }
    QVERIFY(coldHeldOut > 0);

    // Counting sees nothing of them: co-occurrence answers a cold query
    // exactly as popularity does. The slices are reported and stored.
    JobContext ctx;
    auto popular = evaluatePopularityBaskets(*p, 10, ctx);
    auto counted = evaluateCooccurrenceBaskets(*p, 10, ctx);
    QVERIFY(popular && counted);
    QCOMPARE(counted->cold.queries, int64_t(coldHeldOut));
    QVERIFY(counted->cold.queries > 0);
    QCOMPARE(counted->cold.recallAtK, popular->cold.recallAtK);
    QCOMPARE(counted->tail.queries + counted->cold.queries <= counted->queries, true);
    auto stored = listEvalResults(p->db());
    bool coldStored = false;
    for (const auto& r : stored) coldStored = coldStored || (r.subject == "co-occurrence" && r.metrics.count("cold_recall_at_10"));
    QVERIFY(coldStored);
  }

  void batchesNeverRepeatAProduct() {
    std::vector<CopurchasePair> pairs;
    for (int i = 0; i < 300; ++i) pairs.emplace_back(0, i + 1);  // a very popular product 0
    for (int i = 0; i < 300; ++i) pairs.emplace_back(1000 + i, 2000 + i);
    auto batches = conflictFreeBatches(pairs, 16, 1, 0);
    QVERIFY(!batches.empty());
    size_t used = 0;
    for (const auto& b : batches) {
      QVERIFY(b.size() >= 2 && b.size() <= 16);
      std::set<int32_t> seen;
      for (size_t i : b) {
        QVERIFY(seen.insert(pairs[i].first).second);
        QVERIFY(seen.insert(pairs[i].second).second);
      }
      used += b.size();
    }
    QVERIFY(used >= 300);  // every ordinary pair finds a seat; product 0 gets one per batch
    QCOMPARE(conflictFreeBatches(pairs, 16, 1, 0), batches);
    QVERIFY(conflictFreeBatches(pairs, 16, 1, 1) != batches);
  }

  void recallAndNdcgMatchHandComputedValues() {
    // Directions (degrees) of products 1..6; held-out baskets {1,2,5} and {4,6}.
    auto matrix = std::make_shared<EmbeddingMatrix>();
    matrix->dim = 2;
    const double degrees[] = {0, 10, 25, 90, 100, 200};
    for (int i = 0; i < 6; ++i) {
      matrix->rowIds.push_back(i + 1);
      matrix->values.push_back(static_cast<float>(std::cos(degrees[i] * M_PI / 180)));
      matrix->values.push_back(static_cast<float>(std::sin(degrees[i] * M_PI / 180)));
    }
    std::vector<Basket> baskets = {{10, {1, 2, 5}}, {11, {4, 6}}};
    auto queries = basketQueries(baskets, [](int64_t) { return true; });
    QCOMPARE(queries.size(), size_t{5});
    QCOMPARE(queries[0].relevant, (std::vector<int64_t>{2, 5}));
    JobContext ctx;
    auto ranked = rankByEmbeddings(matrix, queries, 2, ctx);
    QCOMPARE(ranked[0], (std::vector<int64_t>{2, 3}));  // 1: itself left out
    QCOMPARE(ranked[2], (std::vector<int64_t>{4, 3}));  // 5
    QCOMPARE(ranked[4], (std::vector<int64_t>{5, 4}));  // 6
    auto s = scoreBasketQueries(queries, ranked, 2);
    // Recall: 1/2 (query 1), 1/2 (2), 0 (5), 0 (4), 1 (6).
    QCOMPARE(s.recallAtK, 2.0 / 5);
    // NDCG@2: a hit first of two relevant is 1/(1 + 1/log2 3); the only relevant found second, 1/log2 3.
    const double firstOfTwo = 1 / (1 + 1 / std::log2(3.0)), second = 1 / std::log2(3.0);
    QVERIFY(std::abs(s.ndcgAtK - (2 * firstOfTwo + second) / 5) < 1e-12);
    QCOMPARE(s.baskets, int64_t{2});
    // A cap samples the queries, the same ones for the same seed.
    BasketQueryOptions few;
    few.maxQueries = 3;
    auto sampled = basketQueries(baskets, [](int64_t) { return true; }, few);
    QCOMPARE(sampled.size(), size_t{3});
    QCOMPARE(basketQueries(baskets, [](int64_t) { return true; }, few)[2].product, sampled[2].product);
    // A product without a vector neither asks nor counts as relevant.
    auto without5 = basketQueries(baskets, [](int64_t id) { return id != 5; });
    QCOMPARE(without5.size(), size_t{4});
    QCOMPARE(without5[0].relevant, (std::vector<int64_t>{2}));
  }

  void runsAndBaselinesAreScoredOnTheSameQueriesAndStored() {
    QTemporaryDir dir;
    auto p = toyBasketProject(dir);
    std::vector<double> degrees;
    for (int i = 0; i < 240; ++i) degrees.push_back(i * 1.5);
    storeAngleEmbeddings(*p, "angles", degrees);
    JobContext ctx;
    auto run = evaluateRunBaskets(*p, "angles", 10, ctx);
    QVERIFY2(run, run ? "" : run.error().message.c_str());
    auto tfidf = evaluateTfidfBaskets(*p, {"title"}, 10, ctx);
    QVERIFY2(tfidf, tfidf ? "" : tfidf.error().message.c_str());
    auto popular = evaluatePopularityBaskets(*p, 10, ctx);
    QVERIFY2(popular, popular ? "" : popular.error().message.c_str());
    QCOMPARE(run->queries, int64_t{48});  // 12 held-out baskets of four
    QCOMPARE(tfidf->queries, run->queries);
    QCOMPARE(popular->queries, run->queries);
    QCOMPARE(run->trainingBaskets, int64_t{108});
    // The run's figure is the one computed from its own neighbour lists.
    auto split = *loadBasketSplit(p->db());
    auto matrix = std::make_shared<EmbeddingMatrix>(*loadEmbeddingMatrix(p->db(), findRun(p->db(), "angles")->id, "angles"));
    auto queries = basketQueries(loadBaskets(p->db(), split, BasketSet::HeldOut), [](int64_t) { return true; });
    auto expected = scoreBasketQueries(queries, rankByEmbeddings(matrix, queries, 10, ctx), 10);
    QCOMPARE(run->recallAtK, expected.recallAtK);
    QCOMPARE(run->ndcgAtK, expected.ndcgAtK);
    QCOMPARE(scoreOf(*p, "angles", "recall_at_10"), run->recallAtK);
    QCOMPARE(scoreOf(*p, "tf-idf", "ndcg_at_10"), tfidf->ndcgAtK);
    QCOMPARE(scoreOf(*p, "popularity", "recall_at_10"), popular->recallAtK);
    for (const auto& s : {*run, *tfidf, *popular}) {
      QVERIFY(s.recallAtK >= 0 && s.recallAtK <= 1);
      QVERIFY(s.ndcgAtK >= 0 && s.ndcgAtK <= 1);
    }
  }

  void theRetrievalFinetuneLearnsWhatCopurchasesShare() {
    QTemporaryDir dir;
    auto p = groupedBasketProject(dir);
    pretrainAndEmbed(*p, "ssl");
    JobContext ctx;
    auto before = evaluateRunBaskets(*p, "ssl", 10, ctx);
    QVERIFY2(before, before ? "" : before.error().message.c_str());

    RetrievalFinetuneOptions o;
    o.runName = "ssl-baskets";
    o.baseRun = "ssl";
    o.epochs = 6;
    o.patience = 2;
    o.lr = 3e-3;
    o.batch = 16;
    auto ft = runRetrievalFinetuning(*p, o, ctx);
    QVERIFY2(ft, ft ? "" : ft.error().message.c_str());
    QCOMPARE(ft->status, std::string("finished"));
    QVERIFY(ft->bestEpoch >= 1);
    QVERIFY2(ft->bestValidationRecall > ft->baseValidationRecall,
             qPrintable(QString("%1 -> %2").arg(ft->baseValidationRecall).arg(ft->bestValidationRecall)));
    QVERIFY2(ft->bestValidationLoss < 0.9 * ft->baseValidationLoss,
             qPrintable(QString("%1 -> %2").arg(ft->baseValidationLoss).arg(ft->bestValidationLoss)));
    auto run = findRun(p->db(), "ssl-baskets");
    QCOMPARE(run->kind, std::string("finetune-retrieval"));
    QCOMPARE(run->status, std::string("finished"));
    auto loss = loadMetrics(p->db(), run->id, "loss");
    QVERIFY(loss.size() >= 20);
    QVERIFY(!loadMetrics(p->db(), run->id, "val/loss").empty());
    auto mean = [&](size_t from, size_t to) {
      double s = 0;
      for (size_t i = from; i < to; ++i) s += loss[i].value;
      return s / double(to - from);
    };
    QVERIFY(mean(loss.size() - 5, loss.size()) < mean(0, 5));

    auto e = computeEmbeddings(*p, "ssl-baskets", ctx);
    QVERIFY2(e, e ? "" : e.error().message.c_str());
    auto after = evaluateRunBaskets(*p, "ssl-baskets", 10, ctx);
    QVERIFY2(after, after ? "" : after.error().message.c_str());
    QCOMPARE(after->queries, before->queries);
    qInfo("Recall@10 %.3f -> %.3f, NDCG@10 %.3f -> %.3f, validation loss %.3f -> %.3f", before->recallAtK,
          after->recallAtK, before->ndcgAtK, after->ndcgAtK, ft->baseValidationLoss, ft->bestValidationLoss);
    QVERIFY2(after->recallAtK > before->recallAtK + 0.1,
             qPrintable(QString("Recall@10 %1 -> %2").arg(before->recallAtK).arg(after->recallAtK)));
    // The copurchase objective's in-batch negatives (with catalog ones) train too.
    RetrievalFinetuneOptions inBatch = o;
    inBatch.runName = "ssl-in-batch";
    inBatch.inBatchNegatives = true;
    inBatch.epochs = 2;
    auto withBatch = runRetrievalFinetuning(*p, inBatch, ctx);
    QVERIFY2(withBatch, withBatch ? "" : withBatch.error().message.c_str());
    QVERIFY(withBatch->bestValidationLoss < withBatch->baseValidationLoss);
    // The name is taken now.
    auto again = runRetrievalFinetuning(*p, o, ctx);
    QVERIFY(!again);
    QVERIFY(again.error().message.find("already exists") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(BasketEvalTest)
#include "test_basket_eval.moc"
