#include <zlib.h>

#include <QtTest>

#include "catalog/demo_project.h"
#include "catalog/idx_reader.h"
#include "store/product_queries.h"
#include "test_support.h"

using namespace pl;

namespace {

std::vector<uint8_t> idxBytes(std::vector<uint32_t> dims, uint8_t fill0) {
  std::vector<uint8_t> b = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  size_t total = 1;
  for (uint32_t d : dims) {
    b.push_back(d >> 24);
    b.push_back(d >> 16);
    b.push_back(d >> 8);
    b.push_back(d);
    total *= d;
  }
  for (size_t i = 0; i < total; ++i) b.push_back(static_cast<uint8_t>(fill0 + i));
  return b;
}

void writeGz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

}  // namespace

class TestIdxReader : public QObject {
  Q_OBJECT
 private slots:
  void parsesDimensionsAndData() {
    auto r = parseIdx(idxBytes({3, 2, 2}, 10), "x");
    QVERIFY(r.ok());
    QCOMPARE(r->dims, (std::vector<int32_t>{3, 2, 2}));
    QCOMPARE(r->count(), int64_t(3));
    QCOMPARE(r->itemSize(), int64_t(4));
    QCOMPARE(int(r->data[5]), 15);
  }
  void refusesBadMagicTypeAndTruncation() {
    auto bytes = idxBytes({2, 2}, 0);
    auto badMagic = bytes;
    badMagic[0] = 1;
    QVERIFY(parseIdx(badMagic, "f").error().message.find("bad magic") != std::string::npos);
    auto badType = bytes;
    badType[2] = 0x0D;  // float data
    QVERIFY(!parseIdx(badType, "f").ok());
    auto truncated = bytes;
    truncated.pop_back();
    auto r = parseIdx(truncated, "f");
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("3 bytes, the header promises 4") != std::string::npos);
    QVERIFY(!parseIdx({0, 0}, "f").ok());
  }
  void readsGzipAndPlainFiles() {
    QTemporaryDir dir;
    auto bytes = idxBytes({4}, 1);
    std::string gz = dir.filePath("a.gz").toStdString();
    writeGz(gz, bytes);
    auto a = readIdxFile(gz);
    QVERIFY(a.ok());
    QCOMPARE(a->data, (std::vector<uint8_t>{1, 2, 3, 4}));
    std::string plain = test::writeFile(dir, "b.idx", QByteArray(reinterpret_cast<const char*>(bytes.data()), int(bytes.size())));
    QVERIFY(readIdxFile(plain).ok());
    QVERIFY(!readIdxFile(dir.filePath("none").toStdString()).ok());
  }
  void demoBuildsProductsWithStoredImages() {
    QTemporaryDir dir;
    // A miniature Fashion-MNIST: 3 train and 2 test images of 28x28.
    writeGz(dir.filePath("train-images-idx3-ubyte.gz").toStdString(), idxBytes({3, 28, 28}, 0));
    writeGz(dir.filePath("train-labels-idx1-ubyte.gz").toStdString(), {0, 0, 8, 1, 0, 0, 0, 3, 0, 9, 5});
    writeGz(dir.filePath("t10k-images-idx3-ubyte.gz").toStdString(), idxBytes({2, 28, 28}, 7));
    writeGz(dir.filePath("t10k-labels-idx1-ubyte.gz").toStdString(), {0, 0, 8, 1, 0, 0, 0, 2, 1, 8});
    auto p = test::newProject(dir);
    JobContext ctx;
    auto r = buildDemoCatalog(*p, dir.path().toStdString(), ctx);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->products, int64_t(5));
    auto st = p->db().prepare("SELECT id, ext_id, category FROM products ORDER BY id");
    std::vector<std::string> cats;
    int64_t lastRow = 0;
    while (st.step()) {
      cats.push_back(st.text(2));
      lastRow = st.int64(0);
    }
    QCOMPARE(cats, (std::vector<std::string>{"T-shirt/top", "Ankle boot", "Sandal", "Trouser", "Bag"}));
    auto detail = loadProductDetail(p->db(), lastRow);
    QVERIFY(detail);
    QCOMPARE(detail->row.id, std::string("test-00001"));
    QCOMPARE(detail->attributes.at(0).second, std::string("test"));
    cv::Mat img = loadProductImage(p->db(), *detail);
    QCOMPARE(img.rows, 28);
    QCOMPARE(img.cols, 28);
    QCOMPARE(int(img.at<uint8_t>(0, 0)), (7 + 784) % 256);  // second test image's first pixel
  }
  void demoReportsMissingDataset() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    JobContext ctx;
    auto r = buildDemoCatalog(*p, dir.filePath("nowhere").toStdString(), ctx);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("dataset-fashion-mnist") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestIdxReader)
#include "test_idx_reader.moc"
