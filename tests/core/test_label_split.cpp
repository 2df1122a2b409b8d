// Labelled subsets and the fixed test split: stable for a seed, stratified,
// stored once and never trained on; and a linear probe that separates
// separable data (dense and sparse).
#include <torch/torch.h>  // before QtTest: Qt's `slots` macro breaks LibTorch headers

#include <QtTest>
#include <random>
#include <set>

#include "eval/label_split.h"
#include "eval/linear_probe.h"
#include "test_support.h"

using namespace pl;

namespace {

// 3 classes of 50, 30 and 20 products (ids 1..100).
LabelledItems threeClasses() {
  LabelledItems items;
  items.classNames = {"a", "b", "c"};
  for (int i = 1; i <= 100; ++i) {
    items.rowIds.push_back(i);
    items.labels.push_back(i <= 50 ? 0 : i <= 80 ? 1 : 2);
  }
  return items;
}

int countClass(const std::vector<int64_t>& ids, int cls) {
  int n = 0;
  for (int64_t id : ids) n += (id <= 50 ? 0 : id <= 80 ? 1 : 2) == cls;
  return n;
}

}  // namespace

class LabelSplitTest : public QObject {
  Q_OBJECT

 private slots:
  void theTestSplitIsStratifiedStoredAndNeverMoves() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    auto items = threeClasses();
    auto first = ensureLabelSplit(p->db(), "kind", items, 0.2, 7);
    QVERIFY(first);
    QCOMPARE(first->testIds.size(), size_t{20});
    QCOMPARE(countClass(first->testIds, 0), 10);
    QCOMPARE(countClass(first->testIds, 1), 6);
    QCOMPARE(countClass(first->testIds, 2), 4);
    QCOMPARE(first->trainIds.size(), size_t{80});
    // Asked again with other settings, after reopening: the stored split.
    p.reset();
    p = test::newProject(dir);
    auto again = ensureLabelSplit(p->db(), "kind", items, 0.5, 99);
    QVERIFY(again);
    QCOMPARE(again->testIds, first->testIds);
    QCOMPARE(again->seed, uint64_t{7});
    // Another project, same seed: the same draw.
    QTemporaryDir other;
    auto q = test::newProject(other);
    QCOMPARE(ensureLabelSplit(q->db(), "kind", items, 0.2, 7)->testIds, first->testIds);
    QVERIFY(ensureLabelSplit(q->db(), "other", items, 0.2, 8)->testIds != first->testIds);
  }

  void subsetsComeFromTrainingOnlyAndAreStableForASeed() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    auto items = threeClasses();
    auto split = *ensureLabelSplit(p->db(), "kind", items, 0.2, 1);
    std::set<int64_t> test(split.testIds.begin(), split.testIds.end());
    for (double fraction : {0.01, 0.1, 0.5, 1.0}) {
      auto subset = labelledSubset(split.trainIds, items, fraction, 3);
      QCOMPARE(subset, labelledSubset(split.trainIds, items, fraction, 3));
      for (int64_t id : subset) QVERIFY2(!test.count(id), "a test product in a training subset");
      for (int c = 0; c < 3; ++c) QVERIFY(countClass(subset, c) >= 1);  // every class keeps one
    }
    auto tenth = labelledSubset(split.trainIds, items, 0.1, 3);
    QCOMPARE(countClass(tenth, 0), 4);  // round(0.1 * 40)
    QCOMPARE(countClass(tenth, 2), 2);  // round(0.1 * 16)
    QCOMPARE(labelledSubset(split.trainIds, items, 1.0, 3), split.trainIds);
    QVERIFY(labelledSubset(split.trainIds, items, 0.5, 3) != labelledSubset(split.trainIds, items, 0.5, 4));
  }

  void aProbeSeparatesSeparableClasses() {
    // Four Gaussian blobs in 16-d, far apart: a linear probe must get them all.
    std::mt19937 rng(5);
    std::normal_distribution<float> noise(0.f, 0.3f);
    const int dim = 16, perClass = 60, classes = 4;
    std::vector<float> x;
    std::vector<int32_t> y;
    for (int c = 0; c < classes; ++c) {
      for (int i = 0; i < perClass; ++i) {
        for (int d = 0; d < dim; ++d) x.push_back((d % classes == c ? 3.f : 0.f) + noise(rng));
        y.push_back(c);
      }
    }
    JobContext ctx;
    ProbeOptions options;
    options.epochs = 30;
    auto probe = trainDenseProbe(x, dim, y, classes, options, ctx);
    QVERIFY(probe);
    auto predicted = predictDense(*probe, x);
    int correct = 0;
    for (size_t i = 0; i < y.size(); ++i) correct += predicted.labels[i] == y[i];
    QCOMPARE(correct, static_cast<int>(y.size()));
    QVERIFY(predicted.confidence[0] > 0.5f);

    // The same data as sparse rows: the sparse path agrees.
    SparseRows s;
    s.cols = dim;
    for (size_t r = 0; r < y.size(); ++r) {
      for (int d = 0; d < dim; ++d) {
        s.indices.push_back(d);
        s.values.push_back(x[r * dim + static_cast<size_t>(d)]);
      }
      s.indptr.push_back(static_cast<int64_t>(s.values.size()));
    }
    auto sparse = trainSparseProbe(s, y, classes, options, ctx);
    QVERIFY(sparse);
    auto sp = predictSparse(*sparse, s);
    correct = 0;
    for (size_t i = 0; i < y.size(); ++i) correct += sp.labels[i] == y[i];
    QCOMPARE(correct, static_cast<int>(y.size()));
  }

  void aProbeStopsWhenAsked() {
    JobContext ctx;
    ctx.requestStop();
    auto probe = trainDenseProbe({0, 1, 1, 0}, 2, {0, 1}, 2, ProbeOptions{}, ctx);
    QVERIFY(!probe);
  }
};

QTEST_APPLESS_MAIN(LabelSplitTest)
#include "test_label_split.moc"
