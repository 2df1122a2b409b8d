// Embedding exports read back by independent readers: CSV and TSV by line
// splitting, the SQLite table through SQLite's own C API, the projector
// bundle's files, layout and sprite size through OpenCV; an empty run and
// a picture-less catalog give clear results.
#include <sqlite3.h>

#include <QtTest>
#include <cstring>
#include <opencv2/imgcodecs.hpp>

#include "export/embedding_export.h"
#include "image_fixture.h"
#include "store/run_store.h"
#include "test_support.h"

using namespace pl;

namespace {

// Stores row i's vector as (i, -i, 0.5) / norm for every product.
void storeEmbeddings(Project& p, const std::string& run) {
  auto id = createRun(p.db(), run, "pretrain", "{}");
  if (!id) qFatal("%s", id.error().message.c_str());
  auto ids = p.db().prepare("SELECT id FROM products ORDER BY id");
  auto insert = p.db().prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?, ?, ?)");
  for (int i = 0; ids.step(); ++i) {
    float v[3] = {float(i), -float(i), 0.5f};
    insert.bind(1, *id).bind(2, ids.int64(0)).bindBlob(3, v, sizeof v).run();
  }
}

QStringList lines(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QStringList out = QString::fromUtf8(f.readAll()).split('\n');
  if (!out.isEmpty() && out.back().isEmpty()) out.removeLast();
  return out;
}

Result<EmbeddingExportReport> run(Project& p, EmbeddingFormat format, const std::string& out,
                                  std::vector<std::string> metadata = {"title", "kind"}) {
  EmbeddingExportOptions o;
  o.runName = "r";
  o.format = format;
  o.out = out;
  o.metadata = std::move(metadata);
  JobContext ctx;
  return exportEmbeddings(p, o, ctx);
}

}  // namespace

class TestEmbeddingExport : public QObject {
  Q_OBJECT
 private slots:
  void csvAndTsvRoundTrip() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, "id,title,kind\nA1,\"Red, \"\"big\"\" shirt\",top\nB2,plain\ttabbed,bottom\n");
    storeEmbeddings(*p, "r");
    auto csv = run(*p, EmbeddingFormat::Csv, dir.filePath("e.csv").toStdString());
    QVERIFY2(csv.ok(), csv.ok() ? "" : csv.error().message.c_str());
    QCOMPARE(csv->rows, int64_t(2));
    QStringList c = lines(dir.filePath("e.csv"));
    QCOMPARE(c.size(), 3);
    QCOMPARE(c[0], QStringLiteral("id,title,kind,e0,e1,e2"));
    QCOMPARE(c[1], QStringLiteral("A1,\"Red, \"\"big\"\" shirt\",top,0,-0,0.5"));
    QCOMPARE(c[2], QStringLiteral("B2,plain\ttabbed,bottom,1,-1,0.5"));
    auto tsv = run(*p, EmbeddingFormat::Tsv, dir.filePath("e.tsv").toStdString());
    QVERIFY(tsv.ok());
    QStringList t = lines(dir.filePath("e.tsv"));
    QCOMPARE(t[2].split('\t'), (QStringList{"B2", "plain tabbed", "bottom", "1", "-1", "0.5"}));
    // No temp file is left behind.
    QVERIFY(!QFile::exists(dir.filePath("e.csv.tmp")));
  }

  void sqliteTableReadsBackThroughTheCApi() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, "id,title,kind\nA1,one,top\nB2,two,bottom\nC3,three,top\n");
    storeEmbeddings(*p, "r");
    const std::string path = dir.filePath("e.sqlite").toStdString();
    QVERIFY(run(*p, EmbeddingFormat::Sqlite, path).ok());
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, "SELECT id, title, kind, dim, vector FROM embeddings ORDER BY id", -1, &st,
                                nullptr),
             SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      QCOMPARE(sqlite3_column_int(st, 3), 3);
      QCOMPARE(sqlite3_column_bytes(st, 4), 12);
      float v[3];
      std::memcpy(v, sqlite3_column_blob(st, 4), sizeof v);
      QCOMPARE(v[0], float(rows));
      QCOMPARE(v[2], 0.5f);
      ++rows;
    }
    QCOMPARE(rows, 3);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }

  void projectorBundleHasTheLayoutTensorBoardReads() {
    QTemporaryDir dir;
    // 5 pictures and one product without: a 3 x 3 sprite of 32 px tiles.
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 5) + "5,item 5 disc,disc,\n");
    storeEmbeddings(*p, "r");
    const QString out = dir.filePath("projector");
    auto r = run(*p, EmbeddingFormat::Projector, out.toStdString());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->missingPictures, int64_t(1));
    QCOMPARE(r->spriteTile, 32);
    QStringList tensors = lines(out + "/tensors.tsv");
    QCOMPARE(tensors.size(), 6);
    QCOMPARE(tensors[3].split('\t'), (QStringList{"3", "-3", "0.5"}));
    QStringList metadata = lines(out + "/metadata.tsv");
    QCOMPARE(metadata.size(), 7);  // header + one per vector
    QCOMPARE(metadata[0], QStringLiteral("id\ttitle\tkind"));
    cv::Mat sprite = cv::imread((out + "/sprite.png").toStdString(), cv::IMREAD_COLOR);
    QCOMPARE(sprite.cols, 96);
    QCOMPARE(sprite.rows, 96);
    // Tile 0 shows picture 0 (a disc drawn on a light background), not the blank fill.
    cv::Mat tile0 = sprite(cv::Rect(0, 0, 32, 32));
    QVERIFY(cv::norm(tile0, cv::Mat(32, 32, CV_8UC3, cv::Scalar(235, 235, 235)), cv::NORM_INF) > 50);
    QStringList config = lines(out + "/projector_config.pbtxt");
    QVERIFY(config.contains(QStringLiteral("  tensor_path: \"tensors.tsv\"")));
    QCOMPARE(config.count(QStringLiteral("    single_image_dim: 32")), 2);
    // One metadata column: no header row, as the projector expects.
    QVERIFY(run(*p, EmbeddingFormat::Projector, out.toStdString(), {}).ok());
    QCOMPARE(lines(out + "/metadata.tsv").size(), 6);
  }

  void metadataNamesFieldsAsTheEvaluationDoes() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, "id,title,category,colour\n1,a,Apparel > Tops,red\n2,b,Home > Kitchen,\n");
    storeEmbeddings(*p, "r");
    const QString out = dir.filePath("m.tsv");
    QVERIFY(run(*p, EmbeddingFormat::Tsv, out.toStdString(), {"category", "category:1", "colour"}).ok());
    QStringList t = lines(out);
    QCOMPARE(t[0].split('\t').mid(0, 4), (QStringList{"id", "category", "category:1", "colour"}));
    QCOMPARE(t[1].split('\t').mid(0, 4), (QStringList{"1", "Apparel > Tops", "Apparel", "red"}));
    QCOMPARE(t[2].split('\t').mid(0, 4), (QStringList{"2", "Home > Kitchen", "Home", ""}));
  }

  void emptyRunsAndUnknownFieldsAreClearErrors() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, "id,title\n1,a\n");
    QVERIFY(createRun(p->db(), "r", "pretrain", "{}").ok());
    auto empty = run(*p, EmbeddingFormat::Csv, dir.filePath("e.csv").toStdString(), {"title"});
    QVERIFY(!empty.ok());
    QVERIFY2(empty.error().message.find("embed") != std::string::npos, empty.error().message.c_str());
    QVERIFY(!QFile::exists(dir.filePath("e.csv")));
    storeEmbeddings(*p, "r2");
    EmbeddingExportOptions o;
    o.runName = "r2";
    o.format = EmbeddingFormat::Csv;
    o.out = dir.filePath("e.csv").toStdString();
    o.metadata = {"colour"};
    JobContext ctx;
    auto unknown = exportEmbeddings(*p, o, ctx);
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message.find("'colour'") != std::string::npos);
    QVERIFY(!parseEmbeddingFormat("parquet").ok());
  }
};

QTEST_GUILESS_MAIN(TestEmbeddingExport)
#include "test_embedding_export.moc"
