// `export` through the real binary: every format from one embedded run,
// usage errors for unknown formats and fields.
#include <QDir>
#include <QtTest>

#include "test_support.h"
#include "toy_catalog.h"

using pl::test::runCli;

class TestExportCli : public QObject {
  Q_OBJECT
 private slots:
  void everyFormatFromOneRun() {
    QTemporaryDir dir;
    const QString project = dir.filePath("p.plens");
    const QString csv = QString::fromStdString(pl::test::writeFile(dir, "c.csv", pl::test::toyCatalogCsv(60)));
    QCOMPARE(runCli({"import", project, csv, "--quiet"}).exitCode, 0);
    auto trained = runCli({"pretrain", project, "--run", "r", "--max-steps", "5", "--dim", "16", "--embedding-dim",
                           "16", "--vocab", "60", "--batch", "8", "--lexical-views", "0", "--quiet"});
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    QCOMPARE(runCli({"embed", project, "--run", "r", "--quiet"}).exitCode, 0);
    struct Case {
      const char* format;
      const char* out;
      const char* expect;
    } cases[] = {{"npy", "npy", "npy/embeddings.npy"},       {"csv", "e.csv", "e.csv"},
                 {"tsv", "e.tsv", "e.tsv"},                  {"sqlite", "e.sqlite", "e.sqlite"},
                 {"projector", "proj", "proj/sprite.png"},   {"model", "model", "model/model.safetensors"}};
    for (const auto& c : cases) {
      auto r = runCli({"export", project, "--run", "r", "--format", c.format, "--out", dir.filePath(c.out),
                       "--metadata", "title,brand", "--quiet"});
      QVERIFY2(r.exitCode == 0, (QByteArray(c.format) + ": " + r.err).constData());
      QVERIFY2(QFile::exists(dir.filePath(c.expect)), c.expect);
      if (QByteArray(c.format) != "model") {
        QVERIFY2(r.out.contains("(16 dimensions)"), (QByteArray(c.format) + ": " + r.out).constData());
      }
    }
    QFile tsv(dir.filePath("e.tsv"));
    QVERIFY(tsv.open(QIODevice::ReadOnly));
    QCOMPARE(tsv.readLine().split('\t').size(), 3 + 16);  // id, title, brand, 16 components
    auto parquet = runCli({"export", project, "--run", "r", "--format", "parquet", "--out", dir.filePath("x")});
    QCOMPARE(parquet.exitCode, 2);
    QVERIFY(parquet.err.contains("npy, csv, tsv, projector, sqlite"));
    auto field = runCli({"export", project, "--run", "r", "--format", "csv", "--out", dir.filePath("y.csv"),
                         "--metadata", "colour"});
    QCOMPARE(field.exitCode, 1);
    QVERIFY(field.err.contains("'colour'"));

    // The report, and its PDF printed by the workbench beside the CLI.
    const QString pdf = dir.filePath("r.pdf");
    auto report = runCli({"report", project, "--run", "r", "--out", dir.filePath("r.html"), "--pdf", pdf});
    QVERIFY(QFile::exists(dir.filePath("r.html")));
    if (!QFile::exists(QFileInfo(QString::fromUtf8(PL_CLI_PATH)).absolutePath() + "/productlens")) {
      QCOMPARE(report.exitCode, 1);  // a build without the GUI says what --pdf needs
      QVERIFY(report.err.contains("needs the workbench"));
      return;
    }
    QVERIFY2(report.exitCode == 0, report.err.constData());
    QFile printed(pdf);
    QVERIFY(printed.open(QIODevice::ReadOnly));
    const QByteArray bytes = printed.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY(bytes.contains("/Title"));
    QVERIFY(!QFile::exists(pdf + ".part"));
  }
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "test_export_cli.moc"
