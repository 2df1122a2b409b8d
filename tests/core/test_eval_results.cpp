// Stored evaluation results and predictions (schema 6): a re-run replaces
// its row, results list in a stable order, predictions go with their run.
#include <QtTest>

#include "eval/eval_results.h"
#include "store/run_store.h"
#include "test_support.h"

using namespace pl;

namespace {

EvalResult result(const std::string& subject, const std::string& method, double fraction,
                  double accuracy) {
  EvalResult r;
  r.subject = subject;
  r.method = method;
  r.label = "articleType";
  r.fraction = fraction;
  r.metrics = {{"accuracy", accuracy}, {"macro_f1", accuracy - 0.1}};
  r.trainItems = 100;
  r.testItems = 20;
  r.seconds = 1.5;
  return r;
}

}  // namespace

class EvalResultsTest : public QObject {
  Q_OBJECT

 private slots:
  void resultsRoundTripAndAReRunReplacesItsRow() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    saveEvalResult(p->db(), result("ssl", "probe", 0.1, 0.8));
    saveEvalResult(p->db(), result("ssl", "probe", 0.01, 0.6));
    saveEvalResult(p->db(), result("tf-idf", "knn", 1, 0.9));
    // 1/10 computed is the stored 0.1: the same row, updated.
    saveEvalResult(p->db(), result("ssl", "probe", 1.0 / 10.0 + 1e-12, 0.85));
    auto other = result("ssl", "knn", 1, 0.7);
    other.label = "brand";
    saveEvalResult(p->db(), other);

    auto all = listEvalResults(p->db());
    QCOMPARE(all.size(), size_t{4});
    auto mine = listEvalResults(p->db(), "articleType");
    QCOMPARE(mine.size(), size_t{3});
    // label, method, subject, fraction
    QCOMPARE(mine[0].method, std::string("knn"));
    QCOMPARE(mine[1].fraction, 0.01);
    QCOMPARE(mine[2].fraction, 0.1);
    QCOMPARE(mine[2].metrics.at("accuracy"), 0.85);
    QCOMPARE(mine[2].metrics.at("macro_f1"), 0.75);
    QCOMPARE(mine[2].trainItems, int64_t{100});
    QCOMPARE(mine[2].testItems, int64_t{20});
    QCOMPARE(mine[2].seconds, 1.5);
    QVERIFY(!mine[2].createdAt.empty());
  }

  void aMetricThatIsNotANumberIsLeftOut() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    auto r = result("ssl", "knn", 1, 0.5);
    r.metrics["precision_at_k"] = std::nan("");
    saveEvalResult(p->db(), r);
    auto back = listEvalResults(p->db());
    QCOMPARE(back.size(), size_t{1});
    QVERIFY(!back[0].metrics.count("precision_at_k"));
    QCOMPARE(back[0].metrics.at("accuracy"), 0.5);
  }

  void predictionsAreReplacedPerRunAndGoWithIt() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    auto& db = p->db();
    db.exec("INSERT INTO catalogs(id, name, source_path, format, mapping_json) "
            "VALUES (1, 'c', 'c.csv', 'csv', '{}')");
    for (int i = 1; i <= 3; ++i) {
      db.prepare("INSERT INTO products(id, catalog_id, ext_id, title) VALUES (?, 1, ?, 't')")
          .bind(1, int64_t{i})
          .bind(2, std::to_string(i))
          .run();
    }
    int64_t run = *createRun(db, "ft", "finetune", "{}");
    int64_t other = *createRun(db, "ft2", "finetune", "{}");
    savePredictions(db, run, "articleType", {{3, "Shirts", 0.9f}, {1, "Shoes", 0.5f}});
    savePredictions(db, other, "brand", {{2, "Acme", 1.0f}});
    auto preds = loadPredictions(db, run);
    QCOMPARE(preds.size(), size_t{2});
    QCOMPARE(preds[0].productId, int64_t{1});
    QCOMPARE(preds[0].label, std::string("Shoes"));
    QCOMPARE(preds[1].confidence, 0.9f);
    savePredictions(db, run, "articleType", {{2, "Bags", 0.7f}});
    QCOMPARE(loadPredictions(db, run).size(), size_t{1});

    auto runs = runsWithPredictions(db);
    QCOMPARE(runs.size(), size_t{2});
    QCOMPARE(runs[0], std::make_pair(std::string("ft"), std::string("articleType")));
    QCOMPARE(runs[1], std::make_pair(std::string("ft2"), std::string("brand")));

    db.prepare("DELETE FROM runs WHERE id = ?").bind(1, run).run();
    QVERIFY(loadPredictions(db, run).empty());
    QCOMPARE(runsWithPredictions(db).size(), size_t{1});
  }
};

QTEST_GUILESS_MAIN(EvalResultsTest)
#include "test_eval_results.moc"
