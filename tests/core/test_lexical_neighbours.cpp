// Lexical views: TF-IDF neighbours of each product, partner draws that repeat
// for a (seed, step), and a run that trains with them and resumes exactly.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "train/pretrain_job.h"

#include <QtTest>

#include "catalog/catalog_import.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train_support.h"
#include "train/lexical_neighbours.h"
#include "eval/neighbour_eval.h"

#include <algorithm>

using namespace pl;

namespace {

std::unique_ptr<Project> importCsv(const QTemporaryDir& dir, const QByteArray& csv) {
  return test::importedProject(dir, csv);
}

std::vector<int64_t> productIds(Project& p) {
  std::vector<int64_t> ids;
  auto st = p.db().prepare("SELECT id FROM products ORDER BY id");
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

// Two spinach titles, two cookie titles, and one whose n-grams occur nowhere
// else (TF-IDF drops n-grams found in a single title, so it has no features).
const QByteArray kGroceries =
    "id,title\n"
    "1,Organic Baby Spinach\n"
    "2,Chocolate Sandwich Cookies\n"
    "3,Baby Spinach Organic Bag\n"
    "4,Chocolate Chip Cookies\n"
    "5,Zyx Vwq\n";

}  // namespace

class TestLexicalNeighbours : public QObject {
  Q_OBJECT
 private slots:
  void nearestProductsShareWordsAndUnmatchedOnesHaveNone() {
    QTemporaryDir dir;
    auto p = importCsv(dir, kGroceries);
    JobContext ctx;
    auto found = findLexicalNeighbours(p->db(), productIds(*p), {"title"}, 2, ctx);
    QVERIFY2(found.ok(), found.ok() ? "" : found.error().message.c_str());
    QCOMPARE(found->k, 2);
    QCOMPARE(found->indices.size(), size_t(10));
    QCOMPARE(found->indices[0 * 2], 2);  // spinach -> the other spinach
    QCOMPARE(found->indices[2 * 2], 0);
    QCOMPARE(found->indices[1 * 2], 3);  // cookies -> the other cookies
    QCOMPARE(found->indices[3 * 2], 1);
    QCOMPARE(found->indices[4 * 2], -1);  // nothing in common with anyone
    QCOMPARE(found->indices[4 * 2 + 1], -1);
    std::mt19937_64 rng(1);
    QCOMPARE(found->draw(4, rng), 4);  // no neighbour: the product itself
    for (int i = 0; i < 20; ++i) {
      int32_t d = found->draw(0, rng);
      QVERIFY(d == found->indices[0] || d == found->indices[1]);
    }
  }

  void approximateNeighboursFindTheSameTitles() {
    // 400 products, 180 distinct titles: a product's nearest neighbour by
    // TF-IDF is one with the same title whenever there is one. The LSA + HNSW
    // path (forced with an exact limit of 0) must find those too.
    QTemporaryDir dir;
    auto p = importCsv(dir, test::toyCatalogCsv(400));
    const auto ids = productIds(*p);
    const auto titles = loadProductTexts(p->db(), ids, {"title"});
    JobContext ctx;
    auto exact = findLexicalNeighbours(p->db(), ids, {"title"}, 2, ctx);
    auto approximate = findLexicalNeighbours(p->db(), ids, {"title"}, 2, ctx, /*exactLimit=*/0);
    QVERIFY(exact.ok() && approximate.ok());
    QCOMPARE(approximate->indices.size(), exact->indices.size());
    int withTwin = 0, exactTwin = 0, approximateTwin = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (std::count(titles.begin(), titles.end(), titles[i]) < 2) continue;
      ++withTwin;
      auto sameTitle = [&](int32_t j) { return j >= 0 && titles[static_cast<size_t>(j)] == titles[i]; };
      exactTwin += sameTitle(exact->indices[i * 2]);
      approximateTwin += sameTitle(approximate->indices[i * 2]);
      QVERIFY(approximate->indices[i * 2] != static_cast<int32_t>(i));  // never itself
    }
    QVERIFY(withTwin > 300);
    QCOMPARE(exactTwin, withTwin);
    QVERIFY2(approximateTwin >= withTwin * 95 / 100,
             qPrintable(QString("%1 of %2").arg(approximateTwin).arg(withTwin)));
  }

  void partnerDrawsRepeatForASeedAndStep() {
    LexicalNeighbours n;
    n.k = 2;
    const int count = 200;
    for (int i = 0; i < count; ++i) {
      n.indices.push_back((i + 1) % count);
      n.indices.push_back(i % 7 == 0 ? -1 : (i + 2) % count);
    }
    std::vector<int32_t> items(count);
    for (int i = 0; i < count; ++i) items[i] = i;
    QCOMPARE(lexicalPartners(n, items, 0.0, 42, 3), items);
    auto all = lexicalPartners(n, items, 1.0, 42, 3);
    for (int i = 0; i < count; ++i) {
      QVERIFY(all[i] == (i + 1) % count || (i % 7 != 0 && all[i] == (i + 2) % count));
    }
    QCOMPARE(lexicalPartners(n, items, 0.5, 42, 3), lexicalPartners(n, items, 0.5, 42, 3));
    auto half = lexicalPartners(n, items, 0.5, 42, 3);
    int replaced = 0;
    for (int i = 0; i < count; ++i) replaced += half[i] != i;
    QVERIFY2(replaced > 60 && replaced < 140, qPrintable(QString::number(replaced)));
    QVERIFY(half != lexicalPartners(n, items, 0.5, 42, 4));
  }

  void runWithLexicalViewsLearnsAndResumesExactly() {
    QTemporaryDir dir;
    auto p = importCsv(dir, test::toyCatalogCsv(240));
    auto c = test::tinyTransformerConfig(40, 10);
    c.objectives = {{"contrastive", 1.0}};
    c.viewWordDrop = 0.3;
    c.lexicalViews = 0.5;
    auto train = [&](const std::string& name, bool resume, int stopAt) {
      return test::trainRun(*p, name, c, resume, stopAt);
    };
    auto whole = train("whole", false, -1);
    QVERIFY2(whole.ok(), whole.ok() ? "" : whole.error().message.c_str());
    QCOMPARE(whole->steps, int64_t(40));
    QVERIFY(train("split", false, 20).ok());
    auto resumed = train("split", true, -1);
    QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().message.c_str());
    QCOMPARE(resumed->steps, int64_t(40));
    auto a = loadMetrics(p->db(), findRun(p->db(), "whole")->id, "loss/contrastive");
    auto b = loadMetrics(p->db(), findRun(p->db(), "split")->id, "loss/contrastive");
    QCOMPARE(a.size(), b.size());
    // Same partners after the resume: the curves agree step for step.
    for (size_t i = 0; i < a.size(); ++i) QVERIFY(std::abs(a[i].value - b[i].value) < 1e-4);
    QVERIFY(a.back().value < a.front().value);
    c.lexicalViews = 1.5;
    QVERIFY(!c.validate(false).ok());
  }
};

QTEST_GUILESS_MAIN(TestLexicalNeighbours)
#include "test_lexical_neighbours.moc"
