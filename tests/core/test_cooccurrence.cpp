// Item-item co-occurrence on hand-made baskets: the counts, their order
// (shared baskets, then popularity, then id), the popularity fill and the
// query never recommended to itself.
#include <QtTest>

#include "eval/cooccurrence.h"

using namespace pl;

class TestCooccurrence : public QObject {
  Q_OBJECT
 private slots:
  void countsSharedBasketsAndFillsWithPopularity() {
    // Product 1 is bought with 2 three times, with 3 once and with 4 once;
    // 4 is more popular than 3 (three baskets against one), 9 the most
    // popular of all and never bought with 1.
    const std::vector<Basket> baskets = {
        {1, {1, 2}}, {2, {1, 2, 3}}, {3, {1, 2, 4}}, {4, {4, 9}}, {5, {4, 9}}, {6, {8, 9}}, {7, {7, 9}}};
    const CooccurrenceCounts counts(baskets);
    QCOMPARE(counts.basketsWith(1), int64_t(3));
    QCOMPARE(counts.basketsWith(9), int64_t(4));
    QCOMPARE(counts.basketsWith(42), int64_t(0));

    using Pair = std::pair<int64_t, int64_t>;
    QCOMPARE(counts.partners(1), (std::vector<Pair>{{2, 3}, {4, 1}, {3, 1}}));  // 4 before 3: more popular
    QCOMPARE(counts.byPopularity(), (std::vector<int64_t>{9, 1, 2, 4, 3, 7, 8}));

    // Partners first, then the most popular not listed yet; never itself.
    QCOMPARE(counts.recommend(1, 2), (std::vector<int64_t>{2, 4}));
    QCOMPARE(counts.recommend(1, 5), (std::vector<int64_t>{2, 4, 3, 9, 7}));
    QCOMPARE(counts.recommend(9, 3), (std::vector<int64_t>{4, 7, 8}));  // 7 and 8 tie: lower id first
    // A product never bought gets the most popular ones.
    QCOMPARE(counts.recommend(42, 3), (std::vector<int64_t>{9, 1, 2}));
    QCOMPARE(counts.recommend(1, 0), std::vector<int64_t>{});
  }
};

QTEST_APPLESS_MAIN(TestCooccurrence)
#include "test_cooccurrence.moc"
