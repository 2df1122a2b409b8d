// Pictures through the real binary: pretrain on pictures (SimCLR + mim),
// embed, probe the embeddings against the raw-pixel baseline, k-NN over the
// pictured products only, time the picture pipeline, and the demo's
// standard Fashion-MNIST test split.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "image_fixture.h"
#include "test_support.h"

using pl::test::runCli;

class TestPicturesCli : public QObject {
  Q_OBJECT
 private slots:
  void pretrainEmbedAndProbeAgainstPixels() {
    QTemporaryDir dir;
    QByteArray csv = pl::test::writePictureCatalog(dir, 60) + "60,item 60 disc,disc,\n";  // one without
    QString project = dir.filePath("p.plens");
    auto imported = runCli({"import", project, QString::fromStdString(pl::test::writeFile(dir, "c.csv", csv)),
                            "--quiet"});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    auto trained = runCli({"pretrain", project, "--run", "pics", "--inputs", "image", "--objectives",
                           "contrastive,mim", "--image-size", "16", "--dim", "32", "--embedding-dim", "32",
                           "--vocab", "40", "--batch", "16", "--max-steps", "12", "--threads", "1", "--quiet"});
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    QVERIFY(trained.out.contains("finished after 12 steps"));
    auto embedded = runCli({"embed", project, "--run", "pics", "--quiet"});
    QVERIFY2(embedded.exitCode == 0, embedded.err.constData());
    QVERIFY(embedded.out.contains("Embedded 61 products"));  // the one without a picture too

    auto probes = runCli({"eval", project, "--label", "kind", "--run", "pics", "--baseline", "pixels",
                          "--probe", "1", "--json", "--quiet"});
    QVERIFY2(probes.exitCode == 0, probes.err.constData());
    QJsonArray results = QJsonDocument::fromJson(probes.out).array();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].toObject()["source"].toString(), QStringLiteral("run pics"));
    QCOMPARE(results[1].toObject()["source"].toString(), QStringLiteral("pixels+logreg"));
    // The product without a picture has no pixels: it is in the run's test or
    // training share, never in the pixel probe's.
    const int runItems = results[0].toObject()["test_items"].toInt() + results[0].toObject()["train_items"].toInt();
    const int pixelItems = results[1].toObject()["test_items"].toInt() + results[1].toObject()["train_items"].toInt();
    QCOMPARE(runItems, 61);
    QCOMPARE(pixelItems, 60);

    auto knn = runCli({"eval", project, "--label", "kind", "--run", "pics", "--pictured-only", "--json", "--quiet"});
    QVERIFY2(knn.exitCode == 0, knn.err.constData());
    QCOMPARE(QJsonDocument::fromJson(knn.out).array()[0].toObject()["items"].toInt(), 60);
    auto pixelsKnn = runCli({"eval", project, "--label", "kind", "--baseline", "pixels"});
    QCOMPARE(pixelsKnn.exitCode, 2);  // the pixel baseline is a probe only
    QVERIFY(pixelsKnn.err.contains("--probe"));

    auto bench = runCli({"bench", "images", "--project", project, "--count", "30", "--size", "16", "--json"});
    QVERIFY2(bench.exitCode == 0, bench.err.constData());
    QJsonObject b = QJsonDocument::fromJson(bench.out).object();
    QCOMPARE(b["pictures"].toInt(), 30);
    QVERIFY(b["cold_views_per_s"].toDouble() > 0);
    QVERIFY(b["cached_views_per_s"].toDouble() > 0);
  }

  void imageSettingsAreCheckedBeforeTraining() {
    QTemporaryDir dir;
    QString project = dir.filePath("p.plens");
    QByteArray csv = pl::test::writePictureCatalog(dir, 8);
    QCOMPARE(runCli({"import", project, QString::fromStdString(pl::test::writeFile(dir, "c.csv", csv)), "--quiet"})
                 .exitCode,
             0);
    auto badSize = runCli({"pretrain", project, "--run", "x", "--inputs", "image", "--image-size", "20", "--quiet"});
    QCOMPARE(badSize.exitCode, 2);  // a bad value is bad usage, refused before the project opens
    QVERIFY(badSize.err.contains("image size must be a multiple of 8"));
    auto mimText = runCli({"pretrain", project, "--run", "y", "--objectives", "mim", "--quiet"});
    QCOMPARE(mimText.exitCode, 2);
    QVERIFY(mimText.err.contains("mim needs the image input"));
  }

  void demoScoresOnTheStandardTestImages() {
    if (!QFile::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")) {
      QSKIP("dataset-fashion-mnist not installed");
    }
    QTemporaryDir dir;
    QString project = dir.filePath("demo.plens");
    QCOMPARE(runCli({"demo", project, "--quiet"}).exitCode, 0);
    auto probe = runCli({"eval", project, "--label", "category", "--baseline", "pixels", "--probe", "0.01",
                         "--json", "--quiet"});
    QVERIFY2(probe.exitCode == 0, probe.err.constData());
    QJsonObject r = QJsonDocument::fromJson(probe.out).array()[0].toObject();
    QCOMPARE(r["test_items"].toInt(), 10000);  // Fashion-MNIST's t10k images
    QCOMPARE(r["train_items"].toInt(), 600);   // 1 % of the 60,000 training images
    QVERIFY(r["accuracy"].toDouble() > 0.5);   // raw pixels already separate most classes
  }
};

QTEST_GUILESS_MAIN(TestPicturesCli)
#include "test_pictures_cli.moc"
