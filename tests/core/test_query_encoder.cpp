// Free-text queries: a product's exact title, encoded by the run's model,
// gives that product's stored embedding (with and without whitening).
// LibTorch first: Qt's `slots` macro would break its headers.
#include "embed/embed_job.h"
#include "neighbors/query_encoder.h"

#include <QtTest>
#include <algorithm>
#include <cmath>

#include "catalog/catalog_import.h"
#include "embed/embedding_matrix.h"
#include "store/product_queries.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train/pretrain_job.h"

using namespace pl;

namespace {

std::unique_ptr<Project> trainedToyProject(const QTemporaryDir& dir, bool whiten) {
  auto p = test::newProject(dir);
  ImportOptions o;
  o.catalogPath = test::writeFile(dir, "toy.csv", test::toyCatalogCsv(240));
  JobContext ctx;
  if (auto r = importCatalog(*p, o, ctx); !r) qFatal("%s", r.error().message.c_str());
  PretrainOptions train;
  train.runName = "toy";
  train.config = test::tinyTransformerConfig(10, 10);
  train.config.inputs = {"title"};
  train.config.whiten = whiten;
  if (auto r = runPretraining(*p, train, ctx); !r) qFatal("%s", r.error().message.c_str());
  if (auto r = computeEmbeddings(*p, "toy", ctx); !r) qFatal("%s", r.error().message.c_str());
  return p;
}

}  // namespace

class TestQueryEncoder : public QObject {
  Q_OBJECT
 private slots:
  void queryEncoderReproducesStoredEmbeddings() {
    for (bool whiten : {false, true}) {
      QTemporaryDir dir;
      auto project = trainedToyProject(dir, whiten);
      auto encoder = QueryEncoder::open(*project, "toy");
      QVERIFY2(encoder.ok(), encoder.ok() ? "" : encoder.error().message.c_str());
      auto matrix = loadEmbeddingMatrix(project->db(), findRun(project->db(), "toy")->id, "toy");
      QVERIFY(matrix.ok());
      for (int64_t row : {0, 17, 239}) {
        auto product = loadProductRows(project->db(), {matrix->rowIds[size_t(row)]}).front();
        auto v = (*encoder)->encode(product.title);
        QVERIFY(v.ok());
        QCOMPARE(int64_t(v->size()), matrix->dim);
        // Unwhitened vectors agree to ~6e-8 (batch of 1 vs padded batch of 240).
        // Whitening scales the catalog's weakest axes up (240 toy products in
        // 32-d), which magnifies that rounding to ~1e-5, so it gets 1e-4.
        const float tolerance = whiten ? 1e-4f : 1e-5f;
        for (int64_t d = 0; d < matrix->dim; ++d) {
          QVERIFY2(std::abs((*v)[size_t(d)] - matrix->row(row)[d]) < tolerance,
                   product.title.c_str());
        }
      }
    }
    QTemporaryDir dir;
    auto project = test::newProject(dir);
    QVERIFY(!QueryEncoder::open(*project, "missing").ok());
  }
};

QTEST_APPLESS_MAIN(TestQueryEncoder)
#include "test_query_encoder.moc"
