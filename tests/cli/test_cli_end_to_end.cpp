// Drives the real productlens-cli binary, as a pipeline would.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "test_support.h"

namespace {

using Run = pl::test::CliRun;

Run cli(const QStringList& args, int timeoutMs = 240000) { return pl::test::runCli(args, timeoutMs); }

QJsonObject infoJson(const QString& project) {
  Run r = cli({"info", project, "--json"});
  if (r.exitCode != 0) qWarning("%s", r.err.constData());
  return QJsonDocument::fromJson(r.out).object();
}

}  // namespace

class TestCliEndToEnd : public QObject {
  Q_OBJECT
 private slots:
  void helpAndUsageErrors() {
    QCOMPARE(cli({"--help"}).exitCode, 0);
    Run importHelp = cli({"import", "--help"});
    QCOMPARE(importHelp.exitCode, 0);
    QVERIFY(importHelp.out.contains("--images-root"));
    for (const char* cmd : {"demo", "info", "version"}) QCOMPARE(cli({cmd, "--help"}).exitCode, 0);
    QCOMPARE(cli({}).exitCode, 2);
    QCOMPARE(cli({"frobnicate"}).exitCode, 2);
    Run missing = cli({"import"});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains("missing arguments"));
    QCOMPARE(cli({"import", "x.plens", "c.csv", "--bogus"}).exitCode, 2);
  }
  void failedJobsExitOneWithOneSentence() {
    QTemporaryDir dir;
    Run r = cli({"import", dir.filePath("p.plens"), dir.filePath("nope.csv")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.startsWith("error: cannot open "));
    Run notProject = cli({"info", QString::fromStdString(pl::test::writeFile(dir, "x.plens", "hello"))});
    QCOMPARE(notProject.exitCode, 1);
    QVERIFY(notProject.err.contains("not a ProductLens project"));
  }
  void importReportsBadRowsWithFileAndLine() {
    QTemporaryDir dir;
    std::string csv = pl::test::writeFile(dir, "c.csv", "id,title,price\n1,a,2\n2,b,x\n3,,1\n");
    QString project = dir.filePath("p.plens");
    Run r = cli({"import", project, QString::fromStdString(csv)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.contains("c.csv:3: field 'price': price 'x' is not a number"));
    QVERIFY(r.err.contains("c.csv:4: field 'title': empty title"));
    QCOMPARE(infoJson(project)["bad_rows"].toInt(), 2);
    Run strict = cli({"import", project, QString::fromStdString(csv), "--strict"});
    QCOMPARE(strict.exitCode, 1);
    QCOMPARE(infoJson(project)["products"].toInt(), 1);  // unchanged by the failed import
  }
  void importsMyntraCatalog() {
    QString data = pl::test::datasetsDir();
    if (data.isEmpty()) QSKIP("shared datasets not present");
    QTemporaryDir dir;
    QString project = dir.filePath("myntra.plens");
    Run r = cli({"import", project, data + "/myntra/products.csv", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject info = infoJson(project);
    QCOMPARE(info["products"].toInt(), 44446);
    QCOMPARE(info["with_image"].toInt(), 9583);
    QCOMPARE(info["bad_rows"].toInt(), 0);
    QCOMPARE(info["with_field"].toObject()["title"].toInt(), 44446);
    QCOMPARE(info["with_attribute"].toObject()["gender"].toInt(), 44446);
    QVERIFY(info["categories"].toInt() > 100);  // masterCategory > subCategory > articleType
  }
  void importsInstacartWithBaskets() {
    QString data = pl::test::datasetsDir();
    if (data.isEmpty()) QSKIP("shared datasets not present");
    QTemporaryDir dir;
    QString project = dir.filePath("instacart.plens");
    Run r = cli({"import", project, data + "/instacart/products.csv", "--baskets",
                 data + "/instacart/order_products__prior.csv", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject info = infoJson(project);
    QCOMPARE(info["products"].toInt(), 49688);
    QCOMPARE(info["baskets"].toInt(), 3214);
    QCOMPARE(info["basket_items"].toInt(), 32290);
    QCOMPARE(info["with_attribute"].toObject()["aisle_id"].toInt(), 49688);
  }
  void importsChineseTitles() {
    QString data = pl::test::datasetsDir();
    if (data.isEmpty()) QSKIP("shared datasets not present");
    QTemporaryDir dir;
    QString project = dir.filePath("zh.plens");
    Run r = cli({"import", project, data + "/zh-ecommerce/titles.csv", "--quiet", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject report = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(report["products_imported"].toInt() + report["bad_rows"].toInt(), 4987);
    QCOMPARE(infoJson(project)["products"].toInt(), report["products_imported"].toInt());
  }
  void demoBuildsFashionMnistProject() {
    if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
      QSKIP("dataset-fashion-mnist not installed");
    }
    QTemporaryDir dir;
    QString project = dir.filePath("demo.plens");
    Run r = cli({"demo", project, "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject info = infoJson(project);
    QCOMPARE(info["products"].toInt(), 70000);
    QCOMPARE(info["with_image"].toInt(), 70000);
    QCOMPARE(info["categories"].toInt(), 10);
  }
};

QTEST_GUILESS_MAIN(TestCliEndToEnd)
#include "test_cli_end_to_end.moc"
