// Evaluation metrics against values computed by hand (and, for macro-F1, the
// scikit-learn convention for classes absent from both truth and prediction).
#include <QtTest>

#include "eval/classification_metrics.h"
#include "eval/knn_vote.h"
#include "eval/ranking_metrics.h"

class EvalMetricsTest : public QObject {
  Q_OBJECT

 private slots:
  void accuracyMacroF1AndConfusionMatchHandComputedValues() {
    // truth:     0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2
    // class 0: TP 2, actual 3, chosen 2 -> F1 4/5
    // class 1: TP 1, actual 2, chosen 2 -> F1 2/4
    // class 2: TP 1, actual 1, chosen 2 -> F1 2/3
    auto s = pl::scoreClassification({0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 2, 2}, 4);
    QCOMPARE(s.items, int64_t{6});
    QCOMPARE(s.accuracy, 4.0 / 6.0);
    QVERIFY(qAbs(s.macroF1 - (0.8 + 0.5 + 2.0 / 3.0) / 3.0) < 1e-12);  // class 3 absent: not averaged
    QCOMPARE(s.confusion[0][0], int64_t{2});
    QCOMPARE(s.confusion[0][1], int64_t{1});
    QCOMPARE(s.confusion[1][2], int64_t{1});
    QCOMPARE(s.confusion[2][2], int64_t{1});
    QCOMPARE(s.confusion[3][3], int64_t{0});
  }

  void outOfRangePredictionsCountAsWrong() {
    auto s = pl::scoreClassification({0, 1}, {0, 7}, 2);
    QCOMPARE(s.accuracy, 0.5);
    QCOMPARE(s.confusion[1][0] + s.confusion[1][1], int64_t{0});
  }

  void perfectPredictionsScoreOne() {
    auto s = pl::scoreClassification({2, 1, 0, 1}, {2, 1, 0, 1}, 3);
    QCOMPARE(s.accuracy, 1.0);
    QCOMPARE(s.macroF1, 1.0);
  }

  void precisionRecallAndNdcgAtK() {
    std::vector<int64_t> ranked{5, 3, 9, 1, 7};
    std::vector<int64_t> relevant{3, 7, 8};
    QCOMPARE(pl::precisionAtK(ranked, relevant, 5), 2.0 / 5.0);
    QCOMPARE(pl::precisionAtK(ranked, relevant, 10), 2.0 / 10.0);  // a short list is not rewarded
    QCOMPARE(pl::recallAtK(ranked, relevant, 5), 2.0 / 3.0);
    QCOMPARE(pl::recallAtK(ranked, relevant, 2), 1.0 / 3.0);
    // hits at ranks 2 and 5: DCG = 1/log2(3) + 1/log2(6); ideal = 1 + 1/log2(3) + 1/2.
    double dcg = 1.0 / std::log2(3.0) + 1.0 / std::log2(6.0);
    double ideal = 1.0 + 1.0 / std::log2(3.0) + 0.5;
    QVERIFY(qAbs(pl::ndcgAtK(ranked, relevant, 5) - dcg / ideal) < 1e-12);
    QCOMPARE(pl::ndcgAtK({3, 7, 8}, relevant, 3), 1.0);
    QCOMPARE(pl::recallAtK(ranked, {}, 5), 0.0);
  }

  void aRelevantItemRankedTwiceCountsOnce() {
    QCOMPARE(pl::precisionAtK({3, 3, 3}, {3}, 3), 1.0 / 3.0);
    QCOMPARE(pl::ndcgAtK({3, 3}, {3}, 2), 1.0);
  }

  void knnVoteTakesTheMajorityAndBreaksTiesBySimilarity() {
    QCOMPARE(pl::voteLabel({1, 2, 1}, {0.1f, 0.9f, 0.2f}), 1);
    QCOMPARE(pl::voteLabel({1, 2}, {0.3f, 0.9f}), 2);     // tie: label 2's neighbour is closer
    QCOMPARE(pl::voteLabel({-1, -1, 4}, {1.f, 1.f, 0.1f}), 4);  // unlabelled neighbours abstain
    QCOMPARE(pl::voteLabel({}, {}), -1);
  }
};

QTEST_APPLESS_MAIN(EvalMetricsTest)
#include "test_eval_metrics.moc"
