// listMetricNames / loadAllMetrics: what the curves view reads to show a stored run.
#include <QtTest>

#include "store/run_store.h"
#include "test_support.h"

using namespace pl;

class TestRunMetricsQueries : public QObject {
  Q_OBJECT
 private slots:
  void namesAreSortedDistinctAndPerRun() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    auto a = createRun(p->db(), "a", "pretrain", "{}");
    auto b = createRun(p->db(), "b", "pretrain", "{}");
    QVERIFY(a.ok() && b.ok());
    appendMetrics(p->db(), *a,
                  {{"lr", 1, 0.1, 0.5},
                   {"loss", 1, 3.0, 0.5},
                   {"loss", 2, 2.5, 1.0},
                   {"val/mlm", 2, 2.7, 1.1}});
    appendMetrics(p->db(), *b, {{"epoch", 1, 0.01, 0.2}});
    QCOMPARE(listMetricNames(p->db(), *a), (std::vector<std::string>{"loss", "lr", "val/mlm"}));
    QCOMPARE(listMetricNames(p->db(), *b), (std::vector<std::string>{"epoch"}));
    QVERIFY(listMetricNames(p->db(), *b + 100).empty());
  }
  void allPointsComeOrderedByNameThenStepWithEveryField() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    auto a = createRun(p->db(), "a", "pretrain", "{}");
    auto b = createRun(p->db(), "b", "pretrain", "{}");
    QVERIFY(a.ok() && b.ok());
    // Inserted out of order, and another run's points that must not leak in.
    appendMetrics(p->db(), *a,
                  {{"loss", 3, 2.0, 3.5},
                   {"epoch", 2, 0.2, 2.5},
                   {"loss", 1, 3.0, 1.5},
                   {"epoch", 1, 0.1, 1.5},
                   {"loss", 2, 2.5, 2.5}});
    appendMetrics(p->db(), *b, {{"loss", 1, 9.0, 9.0}});
    auto points = loadAllMetrics(p->db(), *a);
    QCOMPARE(points.size(), size_t(5));
    std::vector<std::pair<std::string, int64_t>> order;
    for (const auto& pt : points) order.emplace_back(pt.name, pt.step);
    QCOMPARE(order, (std::vector<std::pair<std::string, int64_t>>{
                        {"epoch", 1}, {"epoch", 2}, {"loss", 1}, {"loss", 2}, {"loss", 3}}));
    QCOMPARE(points[4].value, 2.0);
    QCOMPARE(points[4].wallSeconds, 3.5);
    QCOMPARE(points[1].value, 0.2);
    // The same points as the per-series query.
    auto loss = loadMetrics(p->db(), *a, "loss");
    QCOMPARE(loss.size(), size_t(3));
    for (size_t i = 0; i < loss.size(); ++i) QCOMPARE(loss[i].value, points[2 + i].value);
    QVERIFY(loadAllMetrics(p->db(), *b + 100).empty());
  }
};

QTEST_APPLESS_MAIN(TestRunMetricsQueries)
#include "test_run_metrics_queries.moc"
