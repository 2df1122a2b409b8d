// baskets, recommend and finetune-retrieval through the real productlens-cli binary.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "test_support.h"
#include "toy_catalog.h"

namespace {

using Run = pl::test::CliRun;

Run cli(const QStringList& args, int timeoutMs = 240000) { return pl::test::runCli(args, timeoutMs); }

}  // namespace

class TestBasketsCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString project_;

 private slots:
  void initTestCase() {
    project_ = dir_.filePath("p.plens");
    QString csv = QString::fromStdString(pl::test::writeFile(dir_, "c.csv", pl::test::toyCatalogCsv(240)));
    QString baskets =
        QString::fromStdString(pl::test::writeFile(dir_, "b.csv", pl::test::toyBasketsCsv(240, 120)));
    Run imported = cli({"import", project_, csv, "--baskets", baskets, "--quiet"});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    Run trained = cli({"pretrain", project_, "--run", "base", "--vocab", "60", "--max-steps", "20", "--dim",
                       "32", "--embedding-dim", "32", "--threads", "1", "--quiet"});
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    QCOMPARE(cli({"embed", project_, "--run", "base", "--quiet"}).exitCode, 0);
  }

  void usageErrorsExitTwo() {
    QCOMPARE(cli({"baskets", "--help"}).exitCode, 0);
    QCOMPARE(cli({"baskets", project_, "--baseline", "random"}).exitCode, 2);
    QCOMPARE(cli({"baskets", project_, "--k", "0"}).exitCode, 2);
    QCOMPARE(cli({"finetune-retrieval", project_, "--run", "base"}).exitCode, 2);  // no --name
    QCOMPARE(cli({"finetune-retrieval", project_, "--run", "base", "--name", "x", "--lr", "nan"}).exitCode, 2);
    Run missing = cli({"baskets", project_, "--run", "nope", "--quiet"});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("'nope'"));
  }

  void scoresARunAndTheBaselinesOnTheSameQueries() {
    Run r = cli({"baskets", project_, "--run", "base", "--baseline", "tfidf,popularity,cooccurrence", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    auto rows = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0].toObject()["subject"].toString(), QString("base"));
    QCOMPARE(rows[1].toObject()["subject"].toString(), QString("tf-idf"));
    QCOMPARE(rows[2].toObject()["subject"].toString(), QString("popularity"));
    QCOMPARE(rows[3].toObject()["subject"].toString(), QString("co-occurrence"));
    // Each toy basket holds x, x+6, x+12, x+18: what a product was bought
    // with before is what it is bought with again, which counting finds and
    // popularity cannot.
    QVERIFY(rows[3].toObject()["recall_at_10"].toDouble() > rows[2].toObject()["recall_at_10"].toDouble() + 0.2);
    for (const auto& row : rows) {
      QCOMPARE(row.toObject()["queries"].toInt(), 48);  // 12 held-out baskets of four
      double recall = row.toObject()["recall_at_10"].toDouble(-1);
      QVERIFY(recall >= 0 && recall <= 1);
    }
  }

  void recommendsWithAReasonPerItem() {
    auto items = [](const Run& r) { return QJsonDocument::fromJson(r.out).object()["recommendations"].toArray(); };
    // toyBasketsCsv's baskets are x, x+6, x+12, x+18 (mod 240): product 0
    // is only ever bought with 6, 12, 18 and 222, 228, 234.
    Run bought = cli({"recommend", project_, "--product", "0", "--k", "6", "--json"});
    QVERIFY2(bought.exitCode == 0, bought.err.constData());
    QJsonArray list = items(bought);
    QCOMPARE(list.size(), 6);
    QSet<QString> together;
    for (const auto& item : list) {
      const QJsonObject o = item.toObject();
      QVERIFY(o["id"].toString() != "0");
      if (o["reason"].toString() == "bought together") {
        QVERIFY(o["baskets"].toInt() >= 1);
        together.insert(o["id"].toString());
      }
    }
    QCOMPARE(together, (QSet<QString>{"6", "12", "18", "222", "228", "234"}));
    QCOMPARE(list[0].toObject()["reason"].toString(), QString("bought together"));

    // A product in no basket: popularity without a run, its neighbours with one.
    int cold = -1;
    for (int p = 0; p < 240 && cold < 0; ++p) {
      bool seen = false;
      for (int b = 0; b < 120 && !seen; ++b) {
        for (int k = 0; k < 4; ++k) seen = seen || (b * 13 + k * 6) % 240 == p;
      }
      if (!seen) cold = p;
    }
    QVERIFY(cold >= 0);
    const QString coldId = QString::number(cold);
    Run popular = cli({"recommend", project_, "--product", coldId, "--json"});
    QVERIFY2(popular.exitCode == 0, popular.err.constData());
    list = items(popular);
    QCOMPARE(list.size(), 10);
    for (const auto& item : list) QCOMPARE(item.toObject()["reason"].toString(), QString("popular"));
    Run similar = cli({"recommend", project_, "--product", coldId, "--run", "base", "--k", "3", "--json"});
    QVERIFY2(similar.exitCode == 0, similar.err.constData());
    list = items(similar);
    QCOMPARE(list.size(), 3);
    for (const auto& item : list) {
      QCOMPARE(item.toObject()["reason"].toString(), QString("similar product"));
      QVERIFY(item.toObject()["id"].toString() != coldId);
    }
    Run table = cli({"recommend", project_, "--product", "0", "--k", "3"});
    QVERIFY2(table.exitCode == 0 && table.out.contains("bought together"), table.out.constData());

    // Every product's list as CSV: the same lists, with the catalog's ids.
    const QString csvPath = dir_.filePath("recommendations.csv");
    Run exported = cli({"export", project_, "--run", "base", "--format", "recommendations", "--k", "3", "--out",
                        csvPath, "--quiet"});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines[0], QByteArray("product_id,rank,recommended_id,reason,score"));
    QCOMPARE(lines.size(), 1 + 240 * 3);
    Run three = cli({"recommend", project_, "--product", "0", "--run", "base", "--k", "3", "--json"});
    list = items(three);
    for (int r = 0; r < 3; ++r) {
      const QJsonObject o = list[r].toObject();
      QCOMPARE(lines[1 + r], QString("0,%1,%2,%3,%4")
                                 .arg(r + 1)
                                 .arg(o["id"].toString(), o["reason"].toString())
                                 .arg(o["baskets"].toInt())
                                 .toUtf8());
    }
    const QByteArray coldRow = QString("%1,1,").arg(coldId).toUtf8();
    bool coldSimilar = false;
    for (const auto& line : lines) coldSimilar = coldSimilar || (line.startsWith(coldRow) && line.contains(",similar product,"));
    QVERIFY(coldSimilar);
    QCOMPARE(cli({"export", project_, "--run", "base", "--format", "npy", "--k", "3", "--out", dir_.filePath("n")}).exitCode, 2);

    QCOMPARE(cli({"recommend", project_}).exitCode, 2);  // no --product
    QCOMPARE(cli({"recommend", project_, "--product", "0", "--k", "0"}).exitCode, 2);
    Run unknown = cli({"recommend", project_, "--product", "no-such-id"});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.err.contains("no-such-id"));
    QCOMPARE(cli({"recommend", project_, "--product", coldId, "--run", "nope"}).exitCode, 1);
  }

  void finetunesEmbedsAndCanBeScoredAtOnce() {
    Run ft = cli({"finetune-retrieval", project_, "--run", "base", "--name", "base-baskets", "--epochs", "2",
                  "--batch", "16", "--negatives", "32", "--threads", "1", "--json"});
    QVERIFY2(ft.exitCode == 0, ft.err.constData());
    auto report = QJsonDocument::fromJson(ft.out).object();
    QCOMPARE(report["status"].toString(), QString("finished"));
    QCOMPARE(report["embedded"].toInt(), 240);
    QVERIFY(report["train_pairs"].toInt() > 0);
    Run scored = cli({"baskets", project_, "--run", "base-baskets", "--quiet"});
    QVERIFY2(scored.exitCode == 0, scored.err.constData());
    QVERIFY(scored.out.contains("base-baskets"));
    QCOMPARE(cli({"finetune-retrieval", project_, "--run", "base", "--name", "base-baskets", "--quiet"}).exitCode,
             1);  // the name is taken
  }
};

QTEST_GUILESS_MAIN(TestBasketsCli)
#include "test_baskets_cli.moc"
