// LibTorch first: Qt's `slots` macro would break its headers.
#include <torch/torch.h>

#include <QtTest>

#include "projection/pca.h"

using namespace pl;

namespace {

// Data whose covariance is exactly axes * diag(variances) * axes^T: centred
// orthonormal columns scaled to the chosen variances, rotated onto chosen
// orthogonal axes, plus an offset PCA must remove.
struct KnownData {
  torch::Tensor values;  // [N, D] float
  torch::Tensor scores;  // [N, K] the true coordinates on each axis
  torch::Tensor axes;    // [D, K]
  std::vector<double> variances;
};

KnownData knownData(int64_t n, int64_t d, const std::vector<double>& variances) {
  torch::manual_seed(11);
  const auto k = static_cast<int64_t>(variances.size());
  auto raw = torch::randn({n, k}, torch::kDouble);
  raw -= raw.mean(0);
  auto q = std::get<0>(torch::linalg_qr(raw));  // orthonormal, still centred
  auto scale = torch::tensor(variances, torch::kDouble).mul(static_cast<double>(n - 1)).sqrt();
  auto axes = std::get<0>(torch::linalg_qr(torch::randn({d, k}, torch::kDouble)));
  KnownData data;
  data.scores = q * scale;
  data.axes = axes;
  data.values = (torch::mm(data.scores, axes.t()) + 3.0).to(torch::kFloat).contiguous();
  data.variances = variances;
  return data;
}

}  // namespace

class TestPca : public QObject {
  Q_OBJECT
 private slots:
  void explainedVarianceMatchesTheChosenSpectrum() {
    const std::vector<double> variances = {16, 9, 4, 1, 0.25};
    auto data = knownData(4000, 12, variances);
    auto pca = computePca(data.values.data_ptr<float>(), 4000, 12, 2);
    QCOMPARE(pca.explainedVariance.size(), size_t{12});
    double total = 0;
    for (double v : variances) total += v;
    for (size_t i = 0; i < variances.size(); ++i) {
      QVERIFY2(std::abs(pca.explainedVariance[i] - variances[i] / total) < 1e-5,
               qPrintable(QString("component %1: %2").arg(i).arg(pca.explainedVariance[i])));
    }
    for (size_t i = variances.size(); i < 12; ++i) QVERIFY(pca.explainedVariance[i] < 1e-6);
  }

  void coordinatesAreTheScoresOnTheLeadingAxes() {
    auto data = knownData(3000, 10, {25, 4, 1});
    auto pca = computePca(data.values.data_ptr<float>(), 3000, 10, 2);
    auto xy = torch::from_blob(pca.coordinates.data(), {3000, 2}, torch::kFloat).to(torch::kDouble);
    for (int c = 0; c < 2; ++c) {
      // Sign-insensitive: an axis and its negation are the same component.
      auto truth = data.scores.select(1, c);
      auto got = xy.select(1, c);
      double error = std::min((got - truth).abs().max().item<double>(), (got + truth).abs().max().item<double>());
      QVERIFY2(error < 1e-3 * truth.abs().max().item<double>(), qPrintable(QString::number(error)));
    }
  }

  void signConventionMakesTheMapReproducible() {
    auto data = knownData(500, 6, {5, 2});
    auto a = computePca(data.values.data_ptr<float>(), 500, 6, 2);
    auto negated = (-(data.values - 3.0) + 3.0).contiguous();  // mirrored data, same axes
    auto b = computePca(negated.data_ptr<float>(), 500, 6, 2);
    // Mirrored data flips the scores, not the axes: coordinates flip sign.
    for (size_t i = 0; i < a.coordinates.size(); ++i) {
      QVERIFY(std::abs(a.coordinates[i] + b.coordinates[i]) < 1e-3);
    }
  }

  void tinyInputsGiveZeros() {
    float one[3] = {1, 2, 3};
    auto single = computePca(one, 1, 3, 2);
    QCOMPARE(single.coordinates, std::vector<float>({0, 0}));
    float line[4] = {0, 1, 2, 3};  // four 1-D points: the second coordinate is zero
    auto flat = computePca(line, 4, 1, 2);
    QCOMPARE(flat.explainedVariance.size(), size_t{1});
    QCOMPARE(flat.coordinates[1], 0.0f);
    QVERIFY(std::abs(std::abs(flat.coordinates[0]) - 1.5f) < 1e-5);
  }
};

QTEST_APPLESS_MAIN(TestPca)
#include "test_pca.moc"
