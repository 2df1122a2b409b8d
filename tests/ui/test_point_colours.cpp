// Colouring the map: the most frequent values get palette colours and a
// legend with their counts, the rest is "other"; numbers get a gradient that
// outliers do not wash out.

#include <QtTest>
#include <string>
#include <vector>

#include "ui/explore/point_colours.h"

using namespace pl::ui;

class PointColoursTest : public QObject {
  Q_OBJECT

 private slots:
  void categoriesRankedByCountWithMissingLast() {
    std::vector<std::string> values = {"b", "a", "b", "", "c", "b", "a"};
    PointColours colours = categoricalColours(values);
    QCOMPARE(colours.legend.size(), size_t(4));
    QCOMPARE(colours.legend[0].label, QStringLiteral("b"));
    QCOMPARE(colours.legend[0].count, int64_t(3));
    QCOMPARE(colours.legend[1].label, QStringLiteral("a"));
    QCOMPARE(colours.legend[2].label, QStringLiteral("c"));
    QCOMPARE(colours.legend[3].label, QStringLiteral("(missing)"));
    QCOMPARE(colours.legend[3].count, int64_t(1));
    QCOMPARE(colours.index[0], uint16_t(0));
    QCOMPARE(colours.index[1], uint16_t(1));
    QCOMPARE(colours.palette[colours.index[3]], kOtherColour);
    QCOMPARE(colours.palette[colours.index[4]], categoricalPalette()[2]);
  }

  void rareValuesBecomeOther() {
    std::vector<std::string> values;
    for (int v = 0; v < 30; ++v) {
      for (int n = 0; n <= v; ++n) values.push_back("v" + std::to_string(v));
    }
    PointColours colours = categoricalColours(values, 19);
    QCOMPARE(colours.legend.size(), size_t(20));
    QCOMPARE(colours.legend.front().label, QStringLiteral("v29"));
    QCOMPARE(colours.legend.back().colour, kOtherColour);
    // v0..v10 (1 + 2 + ... + 11 points) share "other".
    QCOMPARE(colours.legend.back().count, int64_t(66));
    int64_t total = 0;
    for (const auto& entry : colours.legend) total += entry.count;
    QCOMPARE(total, int64_t(values.size()));
  }

  void numbersOnAGradientClippedAtPercentiles() {
    std::vector<std::string> values;
    for (int i = 0; i < 200; ++i) values.push_back(std::to_string(i));
    values.push_back("1000000");  // one outlier
    values.push_back("");
    values.push_back("n/a");
    QVERIFY(looksNumeric(values));
    PointColours colours = numericColours(values);
    QVERIFY(colours.numeric);
    QVERIFY(colours.high < 1000);
    QCOMPARE(colours.index[0], uint16_t(0));
    QCOMPARE(colours.palette[colours.index[200]], gradientColour(1));
    QCOMPARE(colours.missing, int64_t(2));
    QCOMPARE(colours.palette[colours.index[202]], kOtherColour);
    QVERIFY(colours.index[100] > colours.index[50]);
  }

  void fewDistinctNumbersReadAsCategories() {
    std::vector<std::string> years;
    for (int i = 0; i < 100; ++i) years.push_back(std::to_string(2010 + i % 8));
    QVERIFY(!looksNumeric(years));
    QVERIFY(!looksNumeric({"red", "blue", "1"}));
  }
};

QTEST_GUILESS_MAIN(PointColoursTest)
#include "test_point_colours.moc"
