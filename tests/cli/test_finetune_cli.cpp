// finetune, predict and efficiency through the real productlens-cli binary.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "test_support.h"

namespace {

using Run = pl::test::CliRun;

Run cli(const QStringList& args, int timeoutMs = 240000) { return pl::test::runCli(args, timeoutMs); }

// Six classes the title's noun gives away, and one product without a category.
QByteArray catalog() {
  const QStringList colours = {"red", "blue", "green", "black", "white", "grey"};
  const QStringList nouns = {"shirt", "boot", "scarf", "kettle", "backpack", "watch"};
  const QStringList categories = {"Apparel > Tops", "Footwear > Boots", "Apparel > Scarves",
                                  "Home > Kitchen", "Bags > Backpacks", "Accessories > Watches"};
  QByteArray csv = "id,title,category\n";
  for (int i = 0; i < 300; ++i) {
    int n = (i * 7 + i / 3) % 6;
    csv += QString("%1,%2 %3,%4\n").arg(i).arg(colours[(i * 5) % 6], nouns[n], categories[n]).toUtf8();
  }
  csv += "u1,\"green scarf, \"\"long\"\"\",\n";
  return csv;
}

}  // namespace

class TestFinetuneCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString project_;

 private slots:
  void initTestCase() {
    project_ = dir_.filePath("p.plens");
    QString csv = QString::fromStdString(pl::test::writeFile(dir_, "c.csv", catalog()));
    Run imported = cli({"import", project_, csv, "--quiet"});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    Run trained = cli({"pretrain", project_, "--run", "base", "--vocab", "60", "--epochs", "3", "--dim", "32",
                       "--embedding-dim", "32", "--threads", "1", "--quiet"});
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
  }

  void usageErrorsExitTwo() {
    QCOMPARE(cli({"finetune", "--help"}).exitCode, 0);
    QCOMPARE(cli({"finetune", project_, "--run", "base"}).exitCode, 2);  // no --label
    QCOMPARE(cli({"finetune", project_, "--label", "category:2"}).exitCode, 2);  // neither --run nor --scratch
    Run fraction = cli({"finetune", project_, "--label", "category:2", "--run", "base", "--fraction", "1.5"});
    QCOMPARE(fraction.exitCode, 2);
    QVERIFY(fraction.err.contains("--fraction"));
    QCOMPARE(cli({"finetune", project_, "--label", "category:2", "--run", "base", "--epochs", "nan"}).exitCode, 2);
    QCOMPARE(cli({"efficiency", project_, "--label", "category:2", "--run", "base", "--fractions", "0,1"}).exitCode, 2);
    Run field = cli({"finetune", project_, "--label", "colour", "--run", "base", "--quiet"});
    QCOMPARE(field.exitCode, 1);
    QVERIFY2(field.err.contains("'colour'"), field.err.constData());
    Run subset = cli({"finetune", project_, "--label", "category:2", "--run", "base", "--subset",
                      dir_.filePath("missing.txt"), "--quiet"});
    QCOMPARE(subset.exitCode, 1);
    QVERIFY(subset.err.contains("missing.txt"));
  }

  void finetunePredictAndExportCsv() {
    Run ft = cli({"finetune", project_, "--label", "category:2", "--run", "base", "--fraction", "0.5",
                  "--epochs", "8", "--json"});
    QVERIFY2(ft.exitCode == 0, ft.err.constData());
    auto report = QJsonDocument::fromJson(ft.out).object();
    QCOMPARE(report["run"].toString(), QString("base-ft-full-category-2-50pct"));
    QVERIFY(report["accuracy"].toDouble() >= 0.9);
    // The same name again: refused without --replace.
    Run again = cli({"finetune", project_, "--label", "category:2", "--run", "base", "--fraction", "0.5", "--quiet"});
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains("--replace"));

    QString out = dir_.filePath("pred.csv");
    Run predicted = cli({"predict", project_, "--run", "base-ft-full-category-2-50pct", "--unlabelled-only",
                         "--out", out, "--quiet"});
    QVERIFY2(predicted.exitCode == 0, predicted.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines[0], QByteArray("id,title,predicted_label,confidence"));
    QVERIFY2(lines[1].startsWith("u1,\"green scarf, \"\"long\"\"\",Scarves,"), lines[1].constData());
    // The fine-tuned run embeds like any other.
    QCOMPARE(cli({"embed", project_, "--run", "base-ft-full-category-2-50pct", "--quiet"}).exitCode, 0);
  }

  void efficiencyTable() {
    Run table = cli({"efficiency", project_, "--label", "category:2", "--run", "base", "--fractions", "0.5,1",
                     "--epochs", "3", "--quiet"});
    QVERIFY2(table.exitCode == 0, table.err.constData());
    QVERIFY2(table.out.contains("50% labels") && table.out.contains("100% labels"), table.out.constData());
    for (const char* method : {"pretrained+probe", "pretrained+full", "scratch+full", "tf-idf+logreg"}) {
      QVERIFY2(table.out.contains(method), table.out.constData());
    }
    QVERIFY2(!table.out.contains(" - "), "every cell computed");
  }
};

QTEST_GUILESS_MAIN(TestFinetuneCli)
#include "test_finetune_cli.moc"
