// run_estimate: the closed-form parameter count equals the real model's for
// every encoder and input mix, and the time estimate is in the right range
// for the recipe measured in docs/benchmarks.md.
// LibTorch before Qt: Qt's `slots` macro would break torch's Object::slots().
// clang-format off
#include "model/product_model.h"
#include "train/run_estimate.h"

#include <QtTest>
// clang-format on

using namespace pl;

namespace {

int64_t realParameters(const RunConfig& c, const std::vector<int64_t>& cards, int64_t vocab) {
  ProductModel model(c, cards, vocab);
  int64_t n = 0;
  for (const auto& p : model->parameters()) n += p.numel();
  return n;
}

}  // namespace

class TestRunEstimate : public QObject {
  Q_OBJECT
 private slots:
  void parameterCountMatchesTheModel_data() {
    QTest::addColumn<QString>("encoder");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("dim");
    QTest::addColumn<QString>("inputs");
    QTest::addColumn<QString>("objectives");
    QTest::newRow("defaults") << "text-transformer" << 3 << 128 << "title"
                              << "mlm,contrastive";
    QTest::newRow("tiny transformer") << "text-transformer" << 1 << 32 << "title"
                                      << "mlm";
    QTest::newRow("text + attributes + attr heads")
        << "text-transformer" << 2 << 64 << "title,description,brand,category,price"
        << "mlm,attr,contrastive";
    QTest::newRow("bow") << "text-bow" << 1 << 96 << "title,brand"
                         << "mlm,attr";
    QTest::newRow("pictures, cnn, mim") << "image-cnn" << 1 << 64 << "image"
                                        << "mim,contrastive";
    QTest::newRow("title + pictures, vit, mim, clip") << "image-vit" << 2 << 64 << "title,image"
                                                     << "mim,clip";
    QTest::newRow("title + pictures, narrow cnn") << "image-cnn" << 1 << 40 << "title,image"
                                                  << "contrastive";
    QTest::newRow("attributes only") << "text-transformer" << 2 << 48 << "brand,category"
                                     << "attr,contrastive";
  }

  void parameterCountMatchesTheModel() {
    QFETCH(QString, encoder);
    QFETCH(int, layers);
    QFETCH(int, dim);
    QFETCH(QString, inputs);
    QFETCH(QString, objectives);
    RunConfig c;
    c.encoder = encoder.startsWith("image-") ? "text-bow" : encoder.toStdString();
    if (encoder.startsWith("image-")) c.imageEncoder = encoder.toStdString();
    c.layers = layers;
    c.dim = dim;
    c.heads = 4;
    c.maxLength = 24;
    c.embeddingDim = 40;
    c.inputs.clear();
    for (const auto& f : inputs.split(',')) c.inputs.push_back(f.toStdString());
    c.objectives.clear();
    for (const auto& o : objectives.split(',')) c.objectives[o.toStdString()] = 1.0;
    // Odd sizes on purpose, including one below the encoder's minimum of 2.
    std::vector<int64_t> cards;
    for (size_t k = 0; k < c.attributeInputs().size(); ++k) cards.push_back(k == 0 ? 1 : 7 + 5 * k);
    const int64_t vocab = 301;
    QCOMPARE(countParameters(c, cards, vocab), realParameters(c, cards, vocab));
  }

  /// The Transformer recipe the measured figures below come from (the
  /// default before text-bow + contrastive views became it).
  static RunConfig measuredTransformerRecipe() {
    RunConfig c;
    c.encoder = "text-transformer";
    c.objectives = {{"mlm", 1.0}, {"contrastive", 1.0}};
    c.viewWordDrop = 0;
    c.batch = 64;
    return c;
  }

  void benchSettingsGiveTheDocumentedCount() {
    // docs/benchmarks.md: "1,449,664 parameters" for the bench encoder
    // (2 layers, dim 128, seq 32, vocab 8000) + MLM head; ours adds fusion.
    RunConfig c = measuredTransformerRecipe();
    c.layers = 2;
    c.dim = 128;
    c.maxLength = 32;
    c.embeddingDim = 128;
    int64_t fusion = 128 * 128 + 128;
    QCOMPARE(countParameters(c, {}, 8000) - fusion, int64_t(1'449'664));
  }

  void epochTimeIsInTheMeasuredRange() {
    // Measured: default recipe on Myntra (44,446 titles, ~12 tokens each),
    // 2,043 steps for 3 epochs in 399 s, i.e. about 133 s per epoch.
    RunConfig c = measuredTransformerRecipe();
    CatalogShape shape;
    shape.products = 44'446;
    shape.meanTokens = 12;
    auto e = estimateRun(c, shape);
    QCOMPARE(e.stepsPerEpoch, int64_t(681));
    QVERIFY2(e.secondsPerEpoch > 133 / 2.0 && e.secondsPerEpoch < 133 * 2.0,
             qPrintable(QString::number(e.secondsPerEpoch)));
  }

  void biggerModelsAndMoreObjectivesCostMore() {
    RunConfig small = measuredTransformerRecipe();
    CatalogShape shape;
    shape.products = 10'000;
    shape.meanTokens = 20;
    RunConfig wide = small;
    wide.dim = 256;
    RunConfig more = small;
    more.objectives["copurchase"] = 1.0;
    RunConfig bow = small;
    bow.encoder = "text-bow";
    double base = estimateRun(small, shape).secondsPerEpoch;
    QVERIFY(estimateRun(wide, shape).secondsPerEpoch > 2 * base);
    QVERIFY(estimateRun(more, shape).secondsPerEpoch > base);
    QVERIFY(estimateRun(bow, shape).secondsPerEpoch < base / 3);
    QVERIFY(estimateRun(wide, shape).parameters > estimateRun(small, shape).parameters);
  }

  void lexicalNeighboursAddASetupTime() {
    // Measured: the TF-IDF neighbours of Instacart's 49,688 titles, ~30 s.
    RunConfig c;
    c.lexicalViews = 0;
    CatalogShape shape;
    shape.products = 49'688;
    QCOMPARE(estimateRun(c, shape).setupSeconds, 0.0);
    c.lexicalViews = 0.5;
    double s = estimateRun(c, shape).setupSeconds;
    QVERIFY2(s > 15 && s < 60, qPrintable(QString::number(s)));
    shape.products = 1'000'000;  // approximate search: minutes, not the exact search's hours
    s = estimateRun(c, shape).setupSeconds;
    QVERIFY2(s > 120 && s < 900, qPrintable(QString::number(s)));
    c.objectives = {{"mlm", 1.0}};  // no contrastive views to take them
    QCOMPARE(estimateRun(c, shape).setupSeconds, 0.0);
  }
};

QTEST_APPLESS_MAIN(TestRunEstimate)
#include "test_run_estimate.moc"
