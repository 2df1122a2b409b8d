// Image encoders and objectives: exact masking rates, reconstruction shapes,
// a product without a picture still gets a vector, and on a tiny picture
// catalog the contrastive (SimCLR), mim and clip losses fall.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "model/image_encoder.h"
#include "model/product_model.h"
#include "train/pretrain_job.h"

#include <QtTest>

#include "image_fixture.h"
#include "store/run_store.h"
#include "test_support.h"
#include "train_support.h"

using namespace pl;

namespace {

RunConfig pictureConfig(const std::string& encoder, std::map<std::string, double> objectives) {
  RunConfig c;
  c.inputs = {"image"};
  c.imageEncoder = encoder;
  c.image = ImageShape{16, 3, true};
  c.objectives = std::move(objectives);
  c.lexicalViews = 0;
  c.layers = 1;
  c.dim = 32;
  c.heads = 2;
  c.embeddingDim = 32;
  c.vocabSize = 40;
  c.batch = 24;
  c.epochs = 0;
  c.maxSteps = 60;
  c.lr = 2e-3;
  c.temperature = 0.2;
  c.threads = 1;
  c.checkpointEvery = 1000;
  c.validationFraction = 0;
  return c;
}

double meanOf(const std::vector<MetricPoint>& pts, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += pts[i].value;
  return s / double(to - from);
}

void trainAndExpectFalls(Project& p, const std::string& run, const RunConfig& c, const std::string& metric,
                         double factor) {
  auto r = test::trainRun(p, run, c);
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
  auto pts = loadMetrics(p.db(), findRun(p.db(), run)->id, metric);
  QVERIFY2(pts.size() >= 40, metric.c_str());
  double first = meanOf(pts, 0, 10), last = meanOf(pts, pts.size() - 10, pts.size());
  QVERIFY2(last < factor * first, (metric + ": " + std::to_string(first) + " -> " + std::to_string(last)).c_str());
}

}  // namespace

class TestImageTraining : public QObject {
  Q_OBJECT
 private slots:
  void patchMasksHideExactlyTheRate() {
    torch::Generator g = at::detail::createCPUGenerator(3);
    for (double rate : {0.75, 0.5, 0.1}) {
      auto mask = randomPatchMask(5, 64, rate, g);
      QCOMPARE(mask.sizes().vec(), (std::vector<int64_t>{5, 64}));
      auto perRow = mask.sum(1);
      for (int64_t r = 0; r < 5; ++r) QCOMPARE(perRow[r].item<int64_t>(), int64_t(std::lround(rate * 64)));
    }
    // Rows differ: each draws its own patches.
    auto mask = randomPatchMask(2, 64, 0.75, g);
    QVERIFY(!torch::equal(mask[0], mask[1]));
  }

  void bothEncodersReconstructEveryPatch() {
    for (const char* name : {"image-cnn", "image-vit"}) {
      ImageEncoderOptions o;
      o.channels = 3;
      o.size = 16;
      o.dim = 32;
      o.heads = 2;
      o.layers = 1;
      o.reconstruction = true;
      auto encoder = makeImageEncoder(name, o);
      auto images = torch::rand({2, 3, 16, 16}) * 2 - 1;
      QCOMPARE(encoder->forward(images).sizes().vec(), (std::vector<int64_t>{2, 32}));
      torch::Generator g = at::detail::createCPUGenerator(1);
      auto mask = randomPatchMask(2, 16, 0.75, g);
      auto predicted = encoder->reconstruct(images, mask);
      QCOMPARE(predicted.sizes().vec(), (std::vector<int64_t>{2, 16, 3 * 4 * 4}));
      auto loss = maskedPixelLoss(predicted, images, mask, 4);
      QVERIFY(std::isfinite(loss.item<double>()));
    }
    // patchify keeps pixels where they belong: patch 1 of row 0 is columns 4..7.
    auto img = torch::arange(16 * 16, torch::kFloat32).view({1, 1, 16, 16});
    auto patches = patchify(img, 4);
    QCOMPARE(patches[0][1][0].item<float>(), 4.0f);
    QCOMPARE(patches[0][4][0].item<float>(), 64.0f);
  }

  void aProductWithoutAPictureStillGetsAVector() {
    RunConfig c = pictureConfig("image-cnn", {{"contrastive", 1.0}});
    c.inputs = {"title", "image"};
    ProductModel model(c, std::vector<int64_t>{}, 50);
    model->eval();
    torch::NoGradGuard noGrad;
    auto ids = torch::tensor({{1, 7, 9}, {1, 7, 9}}, torch::kInt64);
    auto mask = torch::ones({2, 3}, torch::kBool);
    auto attrs = torch::zeros({2, 0}, torch::kInt64);
    auto images = torch::rand({2, 3, 16, 16}) * 2 - 1;
    auto withPicture = model->forward(ids, mask, attrs, images, torch::tensor({true, false}));
    QVERIFY(torch::isfinite(withPicture.embedding).all().item<bool>());
    // Row 1 has no picture: its vector is the text's with the "no picture"
    // vector, whatever pixels the batch holds for it.
    auto noPixels = model->forward(ids, mask, attrs, torch::zeros_like(images), torch::tensor({true, false}));
    QVERIFY(torch::allclose(withPicture.embedding[1], noPixels.embedding[1]));
    QVERIFY(!torch::allclose(withPicture.embedding[0], withPicture.embedding[1], 1e-4, 1e-5));
    // Without any picture tensor at all (a text query) the same vector comes
    // out, to rounding: a one-row batch takes other BLAS kernels (1 failure
    // in a loaded CTest run with exact float comparison).
    auto textOnly = model->forward(ids.slice(0, 1, 2), mask.slice(0, 1, 2), attrs.slice(0, 1, 2));
    QVERIFY(torch::allclose(textOnly.embedding[0], noPixels.embedding[1], 1e-4, 1e-6));
  }

  void simclrLossFallsOnPictures() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 72));
    trainAndExpectFalls(*p, "simclr", pictureConfig("image-cnn", {{"contrastive", 1.0}}), "loss/contrastive", 0.8);
  }

  void aPictureCatalogWithoutTextTrains() {
    // id, kind, image: no text column at all. A run on the pictures alone
    // needs no text, so it must not fail on training a tokenizer.
    QTemporaryDir dir;
    QByteArray withTitles = test::writePictureCatalog(dir, 48);
    QByteArray csv = "id,kind,image\n";
    for (const QByteArray& line : withTitles.split('\n').mid(1)) {
      const QList<QByteArray> cells = line.split(',');
      if (cells.size() == 4) csv += cells[0] + "," + cells[2] + "," + cells[3] + "\n";
    }
    auto p = test::importedProject(dir, csv);
    QCOMPARE(p->db().scalar("SELECT count(*) FROM products WHERE title != ''"), int64_t(0));
    RunConfig c = pictureConfig("image-cnn", {{"contrastive", 1.0}});
    c.maxSteps = 4;
    auto r = test::trainRun(*p, "pictures", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->steps, int64_t(4));
    // Asking for the empty title is refused, naming the input and the columns.
    c.inputs = {"title", "image"};
    auto refused = test::trainRun(*p, "with-title", c);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.find("input 'title' is empty for every one of the 48") != std::string::npos,
             refused.error().message.c_str());
    QVERIFY2(refused.error().message.find("kind (48 filled)") != std::string::npos,
             refused.error().message.c_str());
  }

  void maskedImageModellingLossFalls() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 72));
    trainAndExpectFalls(*p, "mae", pictureConfig("image-vit", {{"mim", 1.0}}), "loss/mim", 0.8);
    trainAndExpectFalls(*p, "simmim", pictureConfig("image-cnn", {{"mim", 1.0}}), "loss/mim", 0.8);
  }

  void clipLossFallsWithTitlesAndPictures() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 72));
    RunConfig c = pictureConfig("image-cnn", {{"clip", 1.0}});
    c.inputs = {"title", "image"};
    c.maxSteps = 120;
    c.lr = 5e-3;
    trainAndExpectFalls(*p, "clip", c, "loss/clip", 0.93);  // floor: log(24 / 3 kinds) = 2.08, from 2.98
  }

  void aStoppedPictureRunResumesExactly() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 72));
    RunConfig c = pictureConfig("image-cnn", {{"contrastive", 1.0}, {"neighbours", 1.0}, {"mim", 1.0}});
    c.inputs = {"title", "image"};  // modality dropout draws too
    c.maxSteps = 16;
    c.batch = 8;  // the neighbour bank needs 4 batches before it is used
    auto train = [&](const std::string& name, bool resume, int stopAt) {
      return test::trainRun(*p, name, c, resume, stopAt);
    };
    QVERIFY(train("whole", false, -1).ok());
    QVERIFY(train("split", false, 7).ok());
    auto resumed = train("split", true, -1);
    QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().message.c_str());
    QCOMPARE(resumed->steps, int64_t(16));
    // Same views, masks and dropped pictures after the resume: the curves agree.
    for (const char* metric : {"loss/contrastive", "loss/neighbours", "loss/mim"}) {
      auto a = loadMetrics(p->db(), findRun(p->db(), "whole")->id, metric);
      auto b = loadMetrics(p->db(), findRun(p->db(), "split")->id, metric);
      QCOMPARE(a.size(), b.size());
      QVERIFY(!a.empty());
      for (size_t i = 0; i < a.size(); ++i) {
        QVERIFY2(std::abs(a[i].value - b[i].value) < 1e-4, (std::string(metric) + " step " + std::to_string(a[i].step)).c_str());
      }
    }
  }

  void imageSettingsRoundTripAndAreChecked() {
    RunConfig c = pictureConfig("image-vit", {{"mim", 1.0}, {"contrastive", 0.5}});
    c.image.pad = false;
    c.augment.blur = 0.35;
    c.modalityDropout = 0.3;
    auto back = RunConfig::fromJson(c.toJson(), "test");
    QVERIFY(back.ok());
    QCOMPARE(back->toJson(), c.toJson());
    QVERIFY(!back->image.pad);
    QVERIFY(c.validate(false).ok());
    RunConfig bad = c;
    bad.image.size = 20;  // not a multiple of 8
    QVERIFY(!bad.validate(false).ok());
    bad = c;
    bad.patchSize = 5;
    QVERIFY(!bad.validate(false).ok());
    bad = c;
    bad.inputs = {"title"};
    QVERIFY(bad.validate(false).error().message.find("mim needs the image") != std::string::npos);
    bad = c;
    bad.objectives = {{"clip", 1.0}};
    QVERIFY(!bad.validate(false).ok());  // clip needs a text input too
    QCOMPARE(c.attributeInputs(), std::vector<std::string>{});
  }
};

QTEST_GUILESS_MAIN(TestImageTraining)
#include "test_image_training.moc"
