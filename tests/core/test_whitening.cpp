// LibTorch first: Qt's `slots` macro would break its headers.
#include "embed/whitening.h"

#include <QtTest>

#include <cmath>
#include <cstring>

using namespace pl;

class TestWhitening : public QObject {
  Q_OBJECT
 private slots:
  void decorrelatesToUnitVariance() {
    torch::manual_seed(3);
    // Correlated 8-D data with a large shared offset (like anisotropic embeddings).
    auto mixing = torch::randn({8, 8});
    auto x = torch::mm(torch::randn({5000, 8}), mixing) + 4.0;
    auto w = Whitening::fit(x);
    auto y = torch::mm(x - w.mean, w.projection);
    auto covariance = torch::mm(y.t(), y) / (y.size(0) - 1);
    QVERIFY2(torch::allclose(covariance, torch::eye(8), 1e-3, 1e-3),
             qPrintable(QString::number((covariance - torch::eye(8)).abs().max().item<double>())));
    QVERIFY(y.mean(0).abs().max().item<double>() < 1e-3);
    auto applied = w.apply(x);
    QVERIFY(torch::allclose(applied.norm(2, 1), torch::ones({5000}), 1e-5, 1e-5));
  }

  void constantDirectionStaysFinite() {
    torch::manual_seed(4);
    auto x = torch::randn({300, 4});
    x.select(1, 2).fill_(1.5);  // no variance at all along one axis
    auto y = Whitening::fit(x).apply(x);
    QVERIFY(torch::isfinite(y).all().item<bool>());
  }

  void serializeRoundTrip() {
    torch::manual_seed(5);
    auto x = torch::randn({100, 6});
    auto w = Whitening::fit(x);
    auto back = Whitening::deserialize(w.serialize());
    QVERIFY(back.defined());
    QVERIFY(torch::equal(back.mean, w.mean));
    QVERIFY(torch::equal(back.projection, w.projection));
    QVERIFY(!Whitening::deserialize("short").defined());
    QVERIFY(!Whitening::deserialize(w.serialize().substr(4)).defined());
    // Headers that are no dimension at all (UBSan: float to int64 overflow).
    for (float header : {4.7e30f, -3.0f, 2.5f, std::nanf("")}) {
      std::string blob = w.serialize();
      std::memcpy(blob.data(), &header, sizeof header);
      QVERIFY(!Whitening::deserialize(blob).defined());
    }
  }
};

QTEST_APPLESS_MAIN(TestWhitening)
#include "test_whitening.moc"
