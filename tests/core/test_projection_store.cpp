// LibTorch first (via projection.h's neighbours): Qt's `slots` macro would break its headers.
#include "projection/projection.h"

#include <QtTest>

#include <sys/stat.h>

#include "projection/projection_store.h"
#include "store/run_store.h"
#include "test_support.h"

using namespace pl;

namespace {

// A project with `n` products (ext ids "P0".., one with a comma) and a run
// whose embeddings are 8-d vectors in three clusters.
int64_t projectWithEmbeddings(Project& p, int n) {
  auto& db = p.db();
  db.exec("INSERT INTO catalogs(id, name, source_path, format, mapping_json) VALUES (1, 'c', 'c.csv', 'csv', '{}')");
  auto product = db.prepare("INSERT INTO products(id, catalog_id, ext_id, title) VALUES (?, 1, ?, 't')");
  auto vector = db.prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?, ?, ?)");
  int64_t runId = *createRun(db, "ssl", "pretrain", "{}");
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0, 0.05f);
  for (int i = 0; i < n; ++i) {
    std::string ext = i == 1 ? "P,1" : "P" + std::to_string(i);
    product.bind(1, int64_t{10 + i}).bind(2, ext).run();
    std::vector<float> v(8, 0.0f);
    v[static_cast<size_t>(i % 3)] = 1.0f;
    for (float& x : v) x += noise(rng);
    vector.bind(1, runId).bind(2, int64_t{10 + i}).bindBlob(3, v.data(), v.size() * sizeof(float)).run();
  }
  return runId;
}

QString readAll(const QString& path) {
  QFile f(path);
  f.open(QIODevice::ReadOnly);
  return QString::fromUtf8(f.readAll());
}

}  // namespace

class TestProjectionStore : public QObject {
  Q_OBJECT
 private slots:
  void storeLoadRoundTrip() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    int64_t runId = projectWithEmbeddings(*p, 30);
    JobContext context;
    ProjectionOptions options;
    auto made = runProjectionJob(*p, "ssl", options, context);
    QVERIFY2(made, made ? "" : made.error().message.c_str());
    QCOMPARE(made->points(), int64_t{30});
    auto back = loadProjection(p->db(), runId, ProjectionMethod::Pca);
    QVERIFY(back);
    QCOMPARE(back->rowIds, made->rowIds);
    QCOMPARE(back->xy, made->xy);
    QCOMPARE(back->explainedVariance, made->explainedVariance);
    QCOMPARE(back->explainedVariance.size(), size_t{8});
    QCOMPARE(back->paramsJson, made->paramsJson);
    QCOMPARE(back->embeddingsFingerprint, made->embeddingsFingerprint);
    QVERIFY(!back->createdAt.empty());
    QCOMPARE(back->rowIds.front(), int64_t{10});
    QCOMPARE(listProjections(p->db(), runId), std::vector<ProjectionMethod>{ProjectionMethod::Pca});
    QVERIFY(!loadProjection(p->db(), runId, ProjectionMethod::Umap));
  }

  void aNewMapReplacesTheOldOneOfItsMethod() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    int64_t runId = projectWithEmbeddings(*p, 12);
    Projection first;
    first.method = ProjectionMethod::Tsne;
    first.rowIds = {10, 11};
    first.xy = {1, 2, 3, 4};
    first.paramsJson = "{}";
    storeProjection(p->db(), runId, first);
    Projection second = first;
    second.xy = {5, 6, 7, 8};
    second.seconds = 2.5;
    storeProjection(p->db(), runId, second);
    QCOMPARE(p->db().scalar("SELECT COUNT(*) FROM projections"), int64_t{1});
    auto back = loadProjection(p->db(), runId, ProjectionMethod::Tsne);
    QVERIFY(back);
    QCOMPARE(back->xy, second.xy);
    QCOMPARE(back->seconds, 2.5);
    QVERIFY(back->explainedVariance.empty());
    // Deleting the run deletes its maps (ON DELETE CASCADE).
    p->db().exec("DELETE FROM runs");
    QCOMPARE(p->db().scalar("SELECT COUNT(*) FROM projections"), int64_t{0});
  }

  void csvUsesTheCatalogsOwnIds() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    int64_t runId = projectWithEmbeddings(*p, 3);
    Projection map;
    map.rowIds = {10, 11, 12};
    map.xy = {0.5f, -1, 2, 3.25f, -4, 1e-3f};
    storeProjection(p->db(), runId, map);
    QString path = dir.filePath("map.csv");
    QVERIFY(exportProjectionCsv(p->db(), map, path.toStdString()));
    QCOMPARE(readAll(path), QString("id,x,y\nP0,0.5,-1\n\"P,1\",2,3.25\nP2,-4,0.001\n"));
    map.rowIds[2] = 999;  // a product that is not in the project
    QVERIFY(!exportProjectionCsv(p->db(), map, path.toStdString()));
    QCOMPARE(readAll(path), QString("id,x,y\nP0,0.5,-1\n\"P,1\",2,3.25\nP2,-4,0.001\n"));
  }

  void aCancelledJobStoresNothing() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    projectWithEmbeddings(*p, 40);
    for (auto method : {ProjectionMethod::Pca, ProjectionMethod::Tsne, ProjectionMethod::Umap}) {
      JobContext context;
      context.setProgressInterval(std::chrono::milliseconds(0));
      // Mid-way: PCA while it computes, the others a few iterations into the layout.
      context.setProgressSink([&](int64_t done, int64_t, const std::string& phase) {
        if (phase == "Computing principal components" || (phase == "Optimising layout" && done == 5)) {
          context.requestStop();
        }
      });
      ProjectionOptions options;
      options.method = method;
      auto made = runProjectionJob(*p, "ssl", options, context);
      QVERIFY(!made);
      QCOMPARE(QString::fromStdString(made.error().message), QString("projection cancelled"));
      QCOMPARE(p->db().scalar("SELECT COUNT(*) FROM projections"), int64_t{0});
    }
  }

  void neighbourMapsAreStoredBesideThePcaMap() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    int64_t runId = projectWithEmbeddings(*p, 60);
    for (auto method : {ProjectionMethod::Pca, ProjectionMethod::Tsne, ProjectionMethod::Umap}) {
      ProjectionOptions options;
      options.method = method;
      options.perplexity = 5;
      options.threads = 1;
      JobContext context;
      auto made = runProjectionJob(*p, "ssl", options, context);
      QVERIFY2(made, made ? "" : made.error().message.c_str());
      QCOMPARE(made->xy.size(), size_t{120});
      for (float v : made->xy) QVERIFY(std::isfinite(v));
    }
    QCOMPARE(listProjections(p->db(), runId).size(), size_t{3});
    auto tsne = loadProjection(p->db(), runId, ProjectionMethod::Tsne);
    QVERIFY(tsne && tsne->explainedVariance.empty());
    QVERIFY(tsne->paramsJson.find("\"perplexity\":5") != std::string::npos);
  }

  void anHnswMapSharesTheRunsSavedIndex() {
    // The map's kNN graph and the neighbour searches use one saved index:
    // the first HNSW map builds and saves it, the next one loads it.
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    projectWithEmbeddings(*p, 80);
    const QString index = QString::fromStdString(hnswIndexPath(p->path(), "ssl"));
    QVERIFY(!QFile::exists(index));
    ProjectionOptions options;
    options.method = ProjectionMethod::Umap;
    options.neighbors = NeighborMethod::Hnsw;
    options.threads = 1;
    options.umapEpochs = 20;
    auto inode = [&] {
      struct stat st {};
      return ::stat(index.toLocal8Bit().constData(), &st) == 0 ? st.st_ino : ino_t{0};
    };
    JobContext first;
    QVERIFY(runProjectionJob(*p, "ssl", options, first));
    QVERIFY(QFile::exists(index));
    // A save writes a new file and renames it over the old: a new inode.
    const ino_t built = inode();
    JobContext second;
    QVERIFY(runProjectionJob(*p, "ssl", options, second));
    QCOMPARE(inode(), built);
    QFile::remove(index);
    JobContext third;
    QVERIFY(runProjectionJob(*p, "ssl", options, third));  // rebuilt and saved again
    QVERIFY(QFile::exists(index));
  }

  void unknownRunIsAnError() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    JobContext context;
    auto made = runProjectionJob(*p, "nope", ProjectionOptions{}, context);
    QVERIFY(!made);
    QVERIFY(made.error().message.find("nope") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestProjectionStore)
#include "test_projection_store.moc"
