// The picture pipeline without a model: fitting any picture to the encoder's
// square, value ranges, seeded augmentations, and the product picture source
// (stored and file pictures, a bounded cache, broken files counted, never fatal).
#include <QtTest>
#include <opencv2/imgproc.hpp>

#include "image/image_file.h"
#include "image/image_transforms.h"
#include "image/product_images.h"
#include "image_fixture.h"
#include "test_support.h"

using namespace pl;

namespace {

std::vector<int64_t> productIds(Project& p) {
  std::vector<int64_t> ids;
  auto st = p.db().prepare("SELECT id FROM products ORDER BY id");
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

}  // namespace

class TestImagePipeline : public QObject {
  Q_OBJECT
 private slots:
  void fittingGivesTheEncodersShapeAndChannels() {
    cv::Mat wide(20, 40, CV_8UC3, cv::Scalar(200, 10, 10));
    cv::rectangle(wide, {15, 5}, {25, 15}, cv::Scalar(0, 0, 255), cv::FILLED);
    ImageShape colour{32, 3, true};
    cv::Mat padded = fitImage(wide, colour);
    QCOMPARE(padded.rows, 32);
    QCOMPARE(padded.cols, 32);
    QCOMPARE(padded.channels(), 3);
    // Padding (rows 0..7 and 24..31) takes the border colour, not black.
    QCOMPARE(int(padded.at<cv::Vec3b>(0, 16)[0]), 200);
    // The red square stays whole in the middle.
    QCOMPARE(int(padded.at<cv::Vec3b>(16, 16)[2]), 255);

    ImageShape grey{16, 1, false};
    cv::Mat cropped = fitImage(wide, grey);
    QCOMPARE(cropped.rows, 16);
    QCOMPARE(cropped.cols, 16);
    QCOMPARE(cropped.channels(), 1);
    // Grey input to colour output, and 16-bit input scaled to 8 bits.
    cv::Mat grey16(10, 10, CV_16UC1, cv::Scalar(65535));
    cv::Mat up = fitImage(grey16, colour);
    QCOMPARE(up.channels(), 3);
    QCOMPARE(int(up.at<cv::Vec3b>(5, 5)[1]), 255);
    QVERIFY(fitImage(cv::Mat(), colour).empty());
  }

  void normalisedValuesSpanMinusOneToOneAndRoundTrip() {
    cv::Mat image(8, 8, CV_8UC3);
    cv::randu(image, 0, 256);
    image.at<cv::Vec3b>(0, 0) = {0, 0, 0};
    image.at<cv::Vec3b>(0, 1) = {255, 255, 255};
    std::vector<float> floats(3 * 64);
    writeNormalised(image, floats.data());
    auto [lo, hi] = std::minmax_element(floats.begin(), floats.end());
    QCOMPARE(*lo, -1.0f);
    QCOMPARE(*hi, 1.0f);
    // Planar: channel 2 (red) of pixel (0,3) sits at 2 * 64 + 3.
    QCOMPARE(floats[2 * 64 + 3], image.at<cv::Vec3b>(0, 3)[2] / 127.5f - 1.0f);
    QVERIFY(same(fromNormalised(floats.data(), 3, 8), image));
  }

  void augmentedViewsRepeatForASeedAndDifferAcrossSeeds() {
    ImageShape shape{24, 3, true};
    cv::Mat fitted = fitImage(test::fixturePicture(4), shape);
    ImageAugment augment;
    augment.blur = 0.5;
    std::mt19937_64 a(7), b(7), c(8);
    cv::Mat viewA = augmentImage(fitted, shape, augment, a);
    QCOMPARE(viewA.rows, 24);
    QCOMPARE(viewA.cols, 24);
    QVERIFY(same(viewA, augmentImage(fitted, shape, augment, b)));
    QVERIFY(!same(viewA, augmentImage(fitted, shape, augment, c)));
    // Every augmentation off: the view is the fitted picture itself.
    ImageAugment none{1.0, 0, 0, 0, 0};
    QVERIFY(same(augmentImage(fitted, shape, none, a), fitted));
  }

  void storedAndFilePicturesFillBatchesAndBrokenOnesAreCounted() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 6) + "6,no picture,disc,\n");
    auto ids = productIds(*p);
    QCOMPARE(ids.size(), size_t(7));
    // A file that broke after import: skipped and counted, not fatal.
    test::writeFile(dir, "images/2.png", "not a png any more");
    auto images = ProductImages::load(p->db(), ids, ImageShape{16, 3, true}, 1 << 20);
    QCOMPARE(images->withImages(), size_t(6));
    std::vector<int32_t> items{0, 1, 2, 6, 0};
    std::vector<float> out(items.size() * 3 * 16 * 16, 9.0f);
    std::vector<uint8_t> present(items.size(), 7);
    images->fill(items, nullptr, 0, out.data(), present.data(), 1);
    QCOMPARE(std::vector<uint8_t>(present), (std::vector<uint8_t>{1, 1, 0, 0, 1}));
    for (float v : out) QVERIFY(v >= -1.0f && v <= 1.0f);
    QCOMPARE(images->counters().broken, int64_t(1));
    QVERIFY(!images->hasImage(2));
    // The second copy of product 0 came from the cache.
    QVERIFY(images->counters().cacheHits >= 1);
    QCOMPARE(images->counters().decoded, int64_t(2));
    // Views drawn from a seed do not depend on the thread count (nor change the cache).
    std::vector<float> one(out.size()), four(out.size());
    ImageAugment augment;
    images->fill(items, &augment, 5, one.data(), present.data(), 1);
    images->fill(items, &augment, 5, four.data(), present.data(), 4);
    QCOMPARE(one, four);
  }

  void commonFormatsDecodeInGreyAndColour() {
    QTemporaryDir dir;
    cv::Mat colour = test::fixturePicture(0);
    cv::Mat grey;
    cv::cvtColor(colour, grey, cv::COLOR_BGR2GRAY);
    struct Case {
      const char* name;
      const cv::Mat* image;
    } cases[] = {{"a.jpg", &colour}, {"b.png", &grey}, {"c.webp", &colour}, {"d.bmp", &grey}};
    for (const auto& c : cases) {
      const std::string path = dir.filePath(c.name).toStdString();
      QVERIFY2(cv::imwrite(path, *c.image), c.name);
      QCOMPARE(checkImageFile(path), ImageStatus::Found);
      for (int channels : {1, 3}) {
        cv::Mat fitted = fitImage(readImageFile(path), ImageShape{16, channels, true});
        QCOMPARE(fitted.rows, 16);
        QCOMPARE(fitted.channels(), channels);
      }
    }
    // Not a picture at all: refused at import, empty when read later.
    const std::string text = test::writeFile(dir, "e.jpg", "plain text");
    QCOMPARE(checkImageFile(text), ImageStatus::Undecodable);
    QVERIFY(readImageFile(text).empty());
  }

  void aCacheOfNoBytesDecodesEveryTime() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::writePictureCatalog(dir, 3));
    auto images = ProductImages::load(p->db(), productIds(*p), ImageShape{16, 1, true}, 0);
    QVERIFY(!images->fitted(0).empty());
    QVERIFY(!images->fitted(0).empty());
    QCOMPARE(images->counters().decoded, int64_t(2));
    QCOMPARE(images->counters().cacheHits, int64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestImagePipeline)
#include "test_image_pipeline.moc"
