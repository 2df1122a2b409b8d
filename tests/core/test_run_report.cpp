// The run report: every section from a tiny trained run with stored scores
// and a map; the map's PNG decodes; a run without them says what to do.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "train/pretrain_job.h"

#include <QtTest>
#include <opencv2/imgcodecs.hpp>

#include "eval/eval_results.h"
#include "export/run_report.h"
#include "projection/projection_store.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train_support.h"

using namespace pl;

class TestRunReport : public QObject {
  Q_OBJECT
 private slots:
  void everySectionOfAnEvaluatedRun() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::toyCatalogCsv(120));
    QVERIFY(test::trainRun(*p, "tiny", test::tinyTransformerConfig(30, 1000)).ok());
    EvalResult knn;
    knn.subject = "tiny";
    knn.method = "knn";
    knn.label = "category";
    knn.metrics = {{"knn_accuracy", 0.8123}, {"precision_at_k", 0.7}};
    saveEvalResult(p->db(), knn);
    for (double f : {0.1, 1.0}) {
      EvalResult probe;
      probe.subject = "tiny";
      probe.method = "probe";
      probe.label = "category";
      probe.fraction = f;
      probe.metrics = {{"accuracy", 0.5 + f / 4}, {"macro_f1", 0.4}};
      saveEvalResult(p->db(), probe);
    }
    Projection map;
    map.method = ProjectionMethod::Umap;
    auto ids = p->db().prepare("SELECT id FROM products ORDER BY id");
    for (int i = 0; ids.step(); ++i) {
      map.rowIds.push_back(ids.int64(0));
      map.xy.push_back(float(i % 10));
      map.xy.push_back(float(i / 10));
    }
    storeProjection(p->db(), findRun(p->db(), "tiny")->id, map);

    const QString path = dir.filePath("report.html");
    QVERIFY(writeRunReport(*p, "tiny", path.toStdString()).ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(f.readAll());
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html.contains(QStringLiteral("<h1>Run tiny</h1>")));
    QCOMPARE(html.count(QStringLiteral("<svg")), 2);  // losses, label efficiency
    QVERIFY(html.contains(QStringLiteral(">loss/mlm</text>")));
    QVERIFY(html.contains(QStringLiteral("<td>0.8123</td>")));
    QVERIFY(html.contains(QStringLiteral("category: pretrained+probe")));
    QVERIFY(html.contains(QStringLiteral("&quot;encoder&quot;: &quot;text-transformer&quot;")));
    // The map is an embedded PNG that decodes.
    const QString marker = QStringLiteral("data:image/png;base64,");
    const int at = html.indexOf(marker);
    QVERIFY(at > 0);
    const QByteArray png = QByteArray::fromBase64(html.mid(at + marker.size(), html.indexOf('\'', at) - at - marker.size()).toLatin1());
    cv::Mat image = cv::imdecode(std::vector<uint8_t>(png.begin(), png.end()), cv::IMREAD_COLOR);
    QCOMPARE(image.cols, 560);
  }

  void aBareRunSaysWhatToDo() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, "id,title\n1,a\n");
    QVERIFY(createRun(p->db(), "bare", "pretrain", "{}").ok());
    auto html = runReportHtml(*p, "bare");
    QVERIFY(html.ok());
    QVERIFY(html->find("No losses were recorded") != std::string::npos);
    QVERIFY(html->find("productlens-cli eval") != std::string::npos);
    QVERIFY(html->find("No map yet") != std::string::npos);
    QVERIFY(!runReportHtml(*p, "missing").ok());
  }
};

QTEST_GUILESS_MAIN(TestRunReport)
#include "test_run_report.moc"
