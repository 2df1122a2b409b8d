// A model exported from one project and imported into another gives that
// project's products the same vectors (apply a trained model), fine-tunes
// like any run, and refuses what cannot be carried over.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "embed/run_model.h"

#include <QtTest>

#include "embed/embed_job.h"
#include "embed/embedding_matrix.h"
#include "export/model_export.h"
#include "export/model_import.h"
#include "finetune/finetune_job.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train_support.h"

using namespace pl;

namespace {

std::map<std::string, std::vector<float>> vectorsByExtId(Project& p, const std::string& run) {
  auto matrix = loadEmbeddingMatrix(p.db(), findRun(p.db(), run)->id, run);
  if (!matrix) qFatal("%s", matrix.error().message.c_str());
  std::map<int64_t, std::string> extIds;
  auto st = p.db().prepare("SELECT id, ext_id FROM products");
  while (st.step()) extIds[st.int64(0)] = st.text(1);
  std::map<std::string, std::vector<float>> out;
  for (int64_t r = 0; r < matrix->rows(); ++r) {
    out[extIds[matrix->rowIds[r]]] = std::vector<float>(matrix->row(r), matrix->row(r) + matrix->dim);
  }
  return out;
}

}  // namespace

class TestModelImport : public QObject {
  Q_OBJECT
 private slots:
  void anImportedModelEmbedsAnotherProjectIdentically() {
    QTemporaryDir a, b;
    auto source = test::importedProject(a, test::toyCatalogCsv(120));
    RunConfig c = test::tinyTransformerConfig(30, 1000);
    c.encoder = "text-bow";
    c.objectives = {{"contrastive", 1.0}};
    QVERIFY(test::trainRun(*source, "bow", c).ok());
    JobContext ctx;
    QVERIFY(computeEmbeddings(*source, "bow", ctx).ok());
    const std::string exported = a.filePath("model").toStdString();
    QVERIFY(exportModel(*source, "bow", exported).ok());

    // Another project: the same 120 products and 40 it never saw.
    QByteArray csv = test::toyCatalogCsv(160);
    auto target = test::importedProject(b, csv);
    auto id = importModel(*target, exported, "applied");
    QVERIFY2(id.ok(), id.ok() ? "" : id.error().message.c_str());
    QVERIFY(computeEmbeddings(*target, "applied", ctx).ok());
    auto before = vectorsByExtId(*source, "bow");
    auto after = vectorsByExtId(*target, "applied");
    QCOMPARE(after.size(), size_t(160));
    for (const auto& [ext, v] : before) {
      const auto& w = after.at(ext);
      for (size_t k = 0; k < v.size(); ++k) QVERIFY(std::abs(v[k] - w[k]) < 1e-5);
    }
    // It fine-tunes like a run trained here.
    FinetuneOptions f;
    f.runName = "applied-probe";
    f.baseRun = "applied";
    f.label = "category";
    f.mode = FinetuneMode::Probe;
    f.maxEpochs = 2;
    auto tuned = runFinetuning(*target, f, ctx);
    QVERIFY2(tuned.ok(), tuned.ok() ? "" : tuned.error().message.c_str());
    QVERIFY(!importModel(*target, exported, "applied").ok());  // the name is taken

    // A damaged vector blob (not a whole number of floats) is refused, not
    // copied past its row (issue 21: a heap overflow before).
    target->db().exec(
        "UPDATE embeddings SET vector = substr(vector, 1, 5) WHERE product_id = "
        "(SELECT min(product_id) FROM embeddings)");
    auto damaged = loadEmbeddingMatrix(target->db(), *id, "applied");
    QVERIFY(!damaged.ok());
    QVERIFY2(damaged.error().message.find("damaged embedding") != std::string::npos,
             damaged.error().message.c_str());
  }
  void attributeInputsAndForeignFoldersAreRefused() {
    QTemporaryDir a;
    auto p = test::importedProject(a, test::toyCatalogCsv(60));
    RunConfig c = test::tinyTransformerConfig(5, 1000);
    c.encoder = "text-bow";
    c.objectives = {{"contrastive", 1.0}};
    c.inputs = {"title", "brand"};
    QVERIFY(test::trainRun(*p, "attrs", c).ok());
    const std::string exported = a.filePath("model").toStdString();
    QVERIFY(exportModel(*p, "attrs", exported).ok());
    auto refused = importModel(*p, exported, "again");
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.find("attribute inputs") != std::string::npos);
    // A wrongly typed config.json value is refused with its key, not an abort.
    QFile config(QString::fromStdString(exported + "/config.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QByteArray text = config.readAll();
    config.close();
    QByteArray typed = text;
    typed.replace("\"tokenizer_vocab_size\"", "\"tokenizer_vocab_size\": \"many\", \"unused\"");
    QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
    config.write(typed);
    config.close();
    auto wrongType = importModel(*p, exported, "typed");
    QVERIFY(!wrongType.ok());
    QVERIFY2(wrongType.error().message.find("tokenizer_vocab_size") != std::string::npos,
             wrongType.error().message.c_str());
    auto notModel = importModel(*p, a.path().toStdString(), "x");
    QVERIFY(!notModel.ok());
    QVERIFY(notModel.error().message.find("config.json") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestModelImport)
#include "test_model_import.moc"
