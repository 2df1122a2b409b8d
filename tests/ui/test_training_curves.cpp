// The training-curves view: its model keeps every metric, the downsampler and
// the EMA do their maths, runs overlay in their own colours, the x axis
// switches, exports write real files, and live reports replot coalesced.

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <random>

#include "store/run_store.h"
#include "ui/curves/curve_math.h"
#include "ui/curves/curve_series.h"
#include "ui/curves/curve_style.h"
#include "ui/curves/training_curves_view.h"

using namespace pl::ui;

namespace {

// One training report as the trainer sends it.
std::map<std::string, double> report(int64_t step, double epochsPerStep = 0.01) {
  return {{"loss", 5.0 / (1.0 + 0.01 * step)},
          {"loss/mlm", 4.0 / (1.0 + 0.01 * step)},
          {"lr", 1e-3},
          {"epoch", epochsPerStep * step},
          {"wall_s", 0.5 * step}};
}

size_t countOf(const CurveStore& store, int64_t run, const std::string& name) {
  const CurveRun* r = store.run(run);
  if (!r || !r->series.count(name)) return 0;
  return r->series.at(name).size();
}

QCPGraph* graphNamed(const TrainingCurvesView& view, qint64 run, const QString& suffix) {
  for (QCPGraph* g : view.plot()->graphsOf(run)) {
    if (g->name().endsWith(suffix)) return g;
  }
  return nullptr;
}

}  // namespace

class TrainingCurvesTest : public QObject {
  Q_OBJECT

 private slots:
  void modelKeepsEveryMetricOfEveryReport() {
    CurveStore store;
    store.addRun(1);
    for (int64_t step = 1; step <= 1000; ++step) {
      auto values = report(step);
      if (step % 10 == 0) values["tokens_per_s"] = 1000.0 + step;
      if (step % 100 == 0) values["grad_norm"] = 0.5;  // unknown keys become series
      store.append(1, step, values);
    }
    store.append(2, 1, report(1));  // a run never added is ignored
    QCOMPARE(countOf(store, 1, "loss"), size_t(1000));
    QCOMPARE(countOf(store, 1, "loss/mlm"), size_t(1000));
    QCOMPARE(countOf(store, 1, "lr"), size_t(1000));
    QCOMPARE(countOf(store, 1, "epoch"), size_t(1000));
    QCOMPARE(countOf(store, 1, "tokens_per_s"), size_t(100));
    QCOMPARE(countOf(store, 1, "grad_norm"), size_t(10));
    QCOMPARE(countOf(store, 1, "wall_s"), size_t(0));  // the wall clock is an x axis, not a curve
    QVERIFY(!store.hasRun(2));
    const CurveSeries& loss = store.run(1)->series.at("loss");
    QCOMPARE(loss.step[499], 500.0);
    QCOMPARE(loss.epoch[499], 5.0);
    QCOMPARE(loss.wall[499], 250.0);
    QCOMPARE(loss.value[499], 5.0 / 6.0);
    QCOMPARE(panelFor("val/mlm"), CurvePanel::Losses);
    QCOMPARE(panelFor("lr"), CurvePanel::LearningRate);
    QCOMPARE(panelFor("products_per_s"), CurvePanel::Throughput);
    QCOMPARE(panelFor("epoch"), CurvePanel::Hidden);
  }

  void validationPointsTakeTheEpochOfTheirStep() {
    CurveStore store;
    store.addRun(1);
    store.append(1, 100, report(100));
    store.append(1, 100, {{"val/mlm", 2.5}, {"wall_s", 51.0}});  // validation sends no epoch
    const CurveSeries& val = store.run(1)->series.at("val/mlm");
    QCOMPARE(val.size(), size_t(1));
    QCOMPARE(val.epoch[0], 1.0);
    QCOMPARE(val.wall[0], 51.0);
  }

  void resumedRunReplacesTheStepsAfterItsCheckpoint() {
    CurveStore store;
    store.addRun(1);
    for (int64_t step = 1; step <= 10; ++step) store.append(1, step, report(step));
    const uint64_t resets = store.run(1)->series.at("loss").resets;
    store.append(1, 6, {{"loss", 9.0}});
    const CurveSeries& loss = store.run(1)->series.at("loss");
    QCOMPARE(loss.size(), size_t(6));
    QCOMPARE(loss.step.back(), 6.0);
    QCOMPARE(loss.value.back(), 9.0);
    QVERIFY(loss.resets != resets);
  }

  void storedPointsGetTheEpochOfTheStoredEpochSeries() {
    CurveStore store;
    // Out of order on purpose; the epoch series comes after the loss by name.
    std::vector<pl::MetricPoint> points{{"loss", 20, 2.0, 10.0},
                                        {"val/mlm", 20, 2.2, 10.5},
                                        {"loss", 10, 3.0, 5.0},
                                        {"epoch", 20, 0.2, 10.0},
                                        {"epoch", 10, 0.1, 5.0}};
    store.load(7, points);
    QVERIFY(store.hasRun(7));
    const CurveSeries& loss = store.run(7)->series.at("loss");
    QCOMPARE(loss.step, (std::vector<double>{10, 20}));
    QCOMPARE(loss.epoch, (std::vector<double>{0.1, 0.2}));
    QCOMPARE(loss.wall, (std::vector<double>{5.0, 10.0}));
    QCOMPARE(store.run(7)->series.at("val/mlm").epoch[0], 0.2);
    QCOMPARE(store.pointCount(), size_t(5));
  }

  void downsamplingBoundsPointsAndKeepsExtremesAndEnds() {
    const size_t n = 100000;
    std::vector<double> x(n);
    std::vector<double> y(n);
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0, 0.05);
    for (size_t i = 0; i < n; ++i) {
      x[i] = static_cast<double>(i);
      y[i] = 3.0 / (1 + 0.001 * i) + noise(rng);
    }
    y[43210] = 40.0;   // a loss spike must survive
    y[77777] = -10.0;  // and so must a dip
    const int buckets = 700;
    auto kept = downsampleMinMax(x, y, 0, n - 1, buckets);
    QVERIFY2(kept.size() <= size_t(2 * buckets + 4), qPrintable(QString::number(kept.size())));
    QVERIFY(kept.size() >= size_t(buckets));
    QVERIFY(std::is_sorted(kept.begin(), kept.end()));
    auto has = [&](size_t i) { return std::binary_search(kept.begin(), kept.end(), i); };
    QVERIFY(has(0));
    QVERIFY(has(n - 1));
    QVERIFY(has(43210));
    QVERIFY(has(77777));
    // Every bucket's own extremes are kept: the drawn band is the true band.
    for (int b = 0; b < buckets; b += 97) {
      size_t lo = n, hi = 0;
      double vmin = INFINITY, vmax = -INFINITY;
      for (size_t i = 0; i < n; ++i) {
        int k = std::min(buckets - 1, static_cast<int>(x[i] * buckets / double(n - 1)));
        if (k != b) continue;
        if (y[i] < vmin) vmin = y[i], lo = i;
        if (y[i] > vmax) vmax = y[i], hi = i;
      }
      QVERIFY(has(lo));
      QVERIFY(has(hi));
    }
    // Few points: all of them; a range: what is in it plus one neighbour each side.
    QCOMPARE(downsampleMinMax({1, 2, 3}, {5, 6, 7}, 0, 10, 100).size(), size_t(3));
    auto part = downsampleMinMax(x, y, 1000, 1100, 500);
    QCOMPARE(part.size(), size_t(103));
    QCOMPARE(part.front(), size_t(999));
    QCOMPARE(part.back(), size_t(1101));
    // Non-finite points are never drawn.
    auto gaps = downsampleMinMax({0, 1, 2, NAN}, {1, NAN, 3, 4}, 0, 3, 10);
    QCOMPARE(gaps, (std::vector<size_t>{0, 2}));
  }

  void emaMatchesHandComputedDebiasedValues() {
    // w = 0.5: last = 0.5, 1.25, 2.125; debias 1 - 0.5^n = 0.5, 0.75, 0.875.
    auto s = smoothEma({1, 2, 3}, 0.5);
    QCOMPARE(s.size(), size_t(3));
    QCOMPARE(s[0], 1.0);
    QVERIFY(std::abs(s[1] - 1.25 / 0.75) < 1e-12);
    QVERIFY(std::abs(s[2] - 2.125 / 0.875) < 1e-12);
    QCOMPARE(smoothEma({4, 2, 7}, 0.0), (std::vector<double>{4, 2, 7}));
    // A NaN passes through and leaves the average alone.
    auto gap = smoothEma({1, NAN, 3}, 0.5);
    QVERIFY(std::isnan(gap[1]));
    QVERIFY(std::abs(gap[2] - 1.75 / 0.75) < 1e-12);
    // A constant stays that constant at any weight (the debiasing at work).
    for (double v : smoothEma(std::vector<double>(50, 2.5), 0.99))
      QVERIFY(std::abs(v - 2.5) < 1e-9);
    // Incremental equals whole-series.
    EmaSmoother inc(0.9);
    auto whole = smoothEma({3, 1, 4, 1, 5, 9, 2, 6}, 0.9);
    for (size_t i = 0; i < whole.size(); ++i) {
      QCOMPARE(inc.push(std::vector<double>{3, 1, 4, 1, 5, 9, 2, 6}[i]), whole[i]);
    }
  }

  void smoothedLineIsTheEmaAndRawLineStaysBehind() {
    TrainingCurvesView view;
    view.addRun(1, "a");
    std::vector<double> values;
    for (int64_t step = 1; step <= 200; ++step) {
      auto r = report(step);
      r["loss"] += (step % 2 ? 0.3 : -0.3);
      values.push_back(r["loss"]);
      view.appendMetrics(1, step, r);
    }
    view.setSmoothing(0.8);
    view.replotNow();
    QCPGraph* loss = graphNamed(view, 1, ": loss");
    QVERIFY(loss);
    auto expected = smoothEma(values, 0.8);
    QCOMPARE(loss->data()->size(), 200);
    QVERIFY(std::abs((loss->data()->end() - 1)->value - expected.back()) < 1e-12);
    // One faint raw graph per smoothed one, below it.
    int rawVisible = 0;
    for (int i = 0; i < view.plot()->graphCount(); ++i) {
      QCPGraph* g = view.plot()->graph(i);
      if (g->layer()->name() == "raw" && g->visible()) ++rawVisible;
    }
    QCOMPARE(rawVisible, view.plot()->graphsOf(1).size());
    view.setSmoothing(0);
    view.replotNow();
    QCOMPARE((loss->data()->end() - 1)->value, values.back());
    for (int i = 0; i < view.plot()->graphCount(); ++i) {
      if (view.plot()->graph(i)->layer()->name() == "raw")
        QVERIFY(!view.plot()->graph(i)->visible());
    }
  }

  void twoRunsOverlayAsTwoSetsOfGraphsInTheirOwnColours() {
    TrainingCurvesView view;
    view.addRun(10, "baseline");
    view.addRun(20, "mask 0.3");
    for (int64_t step = 1; step <= 50; ++step) {
      view.appendMetrics(10, step, report(step));
      view.appendMetrics(20, step, report(step));
    }
    view.replotNow();
    auto a = view.plot()->graphsOf(10);
    auto b = view.plot()->graphsOf(20);
    QCOMPARE(a.size(), 3);  // loss, loss/mlm, lr (epoch is an axis)
    QCOMPARE(b.size(), 3);
    QVERIFY(view.runColor(10) != view.runColor(20));
    QCOMPARE(graphNamed(view, 10, ": loss")->pen().color(), view.runColor(10));
    QCOMPARE(graphNamed(view, 20, ": loss")->pen().color(), view.runColor(20));
    QVERIFY(graphNamed(view, 10, ": loss")->name().startsWith("baseline"));
    // Within a run, series differ by shade.
    QVERIFY(graphNamed(view, 10, ": loss")->pen().color() !=
            graphNamed(view, 10, ": loss/mlm")->pen().color());
    view.removeRun(10);
    view.replotNow();
    QVERIFY(view.plot()->graphsOf(10).isEmpty());
    QCOMPARE(view.plot()->graphCount(), 6);  // run 20's three series, raw + smoothed
    view.addRun(30, "third");                // takes the colour that run 10 gave back
    QCOMPARE(view.runColor(30), paletteColor(0));
  }

  void xAxisModeSwitchesTheKeys() {
    TrainingCurvesView view;
    view.addRun(1, "a");
    for (int64_t step = 1; step <= 100; ++step) view.appendMetrics(1, step, report(step, 0.02));
    view.replotNow();
    QCPGraph* loss = graphNamed(view, 1, ": loss");
    auto firstLast = [&] {
      return std::make_pair(loss->data()->begin()->key, (loss->data()->end() - 1)->key);
    };
    QCOMPARE(firstLast(), std::make_pair(1.0, 100.0));
    view.setXAxis(CurveXAxis::Epoch);
    view.replotNow();
    QCOMPARE(firstLast(), std::make_pair(0.02, 2.0));
    // No throughput reported: the learning-rate plot is the lowest and carries the label.
    QCOMPARE(view.plot()->panelRect(CurvePanel::LearningRate)->axis(QCPAxis::atBottom)->label(),
             QString("Epoch"));
    view.setXAxis(CurveXAxis::WallTime);
    view.replotNow();
    QCOMPARE(firstLast(), std::make_pair(0.5, 50.0));
    // The three plots share the x range.
    QCOMPARE(view.plot()->panelRect(CurvePanel::Losses)->axis(QCPAxis::atBottom)->range().upper,
             50.0);
    QCOMPARE(
        view.plot()->panelRect(CurvePanel::LearningRate)->axis(QCPAxis::atBottom)->range().upper,
        50.0);
  }

  void panelsWithoutCurvesAreNotLaidOut() {
    TrainingCurvesView view;
    view.resize(800, 600);
    view.replotNow();
    // Nothing shown: only the losses plot, which then has the whole height.
    QVERIFY(view.plot()->panelShown(CurvePanel::Losses));
    QVERIFY(!view.plot()->panelShown(CurvePanel::LearningRate));
    QVERIFY(!view.plot()->panelShown(CurvePanel::Throughput));
    QCOMPARE(view.plot()->plotLayout()->rowCount(), 1);

    view.addRun(1, "fine-tune");
    view.appendMetrics(1, 1, {{"loss", 1.0}, {"lr", 1e-3}});
    view.replotNow();
    QVERIFY(view.plot()->panelShown(CurvePanel::LearningRate));
    QVERIFY(!view.plot()->panelShown(CurvePanel::Throughput));
    QCOMPARE(view.plot()->plotLayout()->rowCount(), 2);
    QCOMPARE(view.plot()->panelRect(CurvePanel::LearningRate)->axis(QCPAxis::atBottom)->label(),
             QString("Step"));

    view.appendMetrics(1, 2, {{"loss", 0.9}, {"tokens_per_s", 5000.0}});
    view.replotNow();
    QVERIFY(view.plot()->panelShown(CurvePanel::Throughput));
    QCOMPARE(view.plot()->plotLayout()->rowCount(), 3);
    // The label moves to the new lowest plot; the order stays fixed.
    QCOMPARE(view.plot()->panelRect(CurvePanel::Throughput)->axis(QCPAxis::atBottom)->label(),
             QString("Step"));
    QVERIFY(view.plot()->panelRect(CurvePanel::LearningRate)->axis(QCPAxis::atBottom)->label().isEmpty());
    QCOMPARE(view.plot()->plotLayout()->element(2, 0), view.plot()->panelRect(CurvePanel::Throughput));

    view.removeRun(1);
    view.replotNow();
    QCOMPARE(view.plot()->plotLayout()->rowCount(), 1);
  }

  void csvExportHasEveryPointOfEveryRun() {
    QTemporaryDir dir;
    TrainingCurvesView view;
    view.addRun(1, "run, one");  // a comma forces quoting
    view.addRun(2, "two");
    for (int64_t step = 1; step <= 3; ++step) view.appendMetrics(1, step, report(step));
    view.appendMetrics(2, 1, {{"loss", 0.1}, {"wall_s", 2.0}});
    const QString path = dir.filePath("curves.csv");
    QString error;
    QVERIFY2(view.exportCsv(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QString("run,series,step,epoch,wall_seconds,value"));
    QCOMPARE(lines.size(), 1 + 3 * 4 + 1);  // epoch, loss, loss/mlm, lr x 3 steps + run two
    QVERIFY(lines.contains("\"run, one\",loss,2,0.02,1,4.901960784313726"));
    QVERIFY(lines.contains("\"run, one\",epoch,3,0.03,1.5,0.03"));
    QVERIFY(lines.contains("two,loss,1,,2,0.1"));  // no epoch reported: empty field
    QVERIFY(!view.exportCsv(dir.filePath("missing/dir/x.csv"), &error));
    QVERIFY(error.contains("missing/dir"));
  }

  void pngAndPdfExportsWriteRealFiles() {
    QTemporaryDir dir;
    TrainingCurvesView view;
    view.addRun(1, "a");
    for (int64_t step = 1; step <= 300; ++step) view.appendMetrics(1, step, report(step));
    QString error;
    const QString png = dir.filePath("curves.png");
    QVERIFY2(view.exportPng(png, &error), qPrintable(error));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 600 && image.height() >= 400);
    const QString pdf = dir.filePath("curves.pdf");
    QVERIFY2(view.exportPdf(pdf, &error), qPrintable(error));
    QFile f(pdf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");
    QVERIFY(f.size() > 1000);
    QVERIFY(!view.exportPng(dir.filePath("missing/dir/x.png"), &error));
  }

  void thousandReportsCauseFewReplotsAndNoneDirectly() {
    TrainingCurvesView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(!view.replotPending());
    view.addRun(1, "a");
    QTRY_VERIFY(!view.replotPending());
    QSignalSpy replots(view.plot(), &QCustomPlot::afterReplot);
    const int before = view.replotCount();
    for (int64_t step = 1; step <= 1000; ++step) view.appendMetrics(1, step, report(step));
    QCOMPARE(view.replotCount(), before);  // appending never replots
    QCOMPARE(replots.count(), 0);
    QVERIFY(view.replotPending());
    QTRY_VERIFY(!view.replotPending());
    QCOMPARE(view.replotCount() - before, 1);
    QVERIFY(replots.count() <= 2);
    QCOMPARE(countOf(view.store(), 1, "loss"), size_t(1000));
    QCOMPARE(graphNamed(view, 1, ": loss")->data()->size(), 1000);

    // Reports spread over 600 ms: at most one replot per 50 ms.
    const int spread = view.replotCount();
    QElapsedTimer clock;
    clock.start();
    int64_t step = 1000;
    while (clock.elapsed() < 600) {
      ++step;
      view.appendMetrics(1, step, report(step));
      QCoreApplication::processEvents();
    }
    QTRY_VERIFY(!view.replotPending());
    const int done = view.replotCount() - spread;
    // At least one while streaming (never starved); fewer than 20/s. A slow
    // (loaded) machine legitimately spaces replots out further: see kReplotDutyDivisor.
    QVERIFY2(done >= 1 && done <= 600 / 50 + 2, qPrintable(QString::number(done)));
  }

  void hiddenViewDefersItsReplotUntilShown() {
    TrainingCurvesView view;
    view.addRun(1, "a");
    for (int64_t step = 1; step <= 100; ++step) view.appendMetrics(1, step, report(step));
    QTest::qWait(150);
    QCOMPARE(view.replotCount(), 0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_COMPARE(view.replotCount(), 1);
  }

  void hundredThousandStepsDrawAtMostTwoPointsPerPixel() {
    TrainingCurvesView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.addRun(1, "long");
    std::vector<pl::MetricPoint> points;
    for (int64_t step = 1; step <= 100000; ++step) {
      for (const auto& [k, v] : report(step)) {
        if (k != "wall_s") points.push_back({k, step, v, 0.5 * step});
      }
    }
    view.loadStoredMetrics(1, points);
    QElapsedTimer clock;
    clock.start();
    view.replotNow();
    const qint64 first = clock.elapsed();
    clock.restart();
    view.appendMetrics(1, 100001, report(100001));  // what each live tick then costs
    view.replotNow();
    qInfo("100k steps x 4 series: first sync + replot %lld ms, next live one %lld ms",
          static_cast<long long>(first), static_cast<long long>(clock.elapsed()));
    const int width = view.plot()->panelRect(CurvePanel::Losses)->width();
    for (QCPGraph* g : view.plot()->graphsOf(1)) {
      QVERIFY2(g->data()->size() <= 2 * width + 4, qPrintable(g->name()));
    }
    QCOMPARE(countOf(view.store(), 1, "loss"), size_t(100001));
    // Zooming in re-downsamples the visible part at full detail.
    QCPAxis* x = view.plot()->panelRect(CurvePanel::Losses)->axis(QCPAxis::atBottom);
    x->setRange(5000, 5100);  // what a drag or wheel does
    QVERIFY(!view.plot()->following());
    view.replotNow();
    QCPGraph* loss = graphNamed(view, 1, ": loss");
    auto at = loss->data()->findBegin(5000.0, false);
    QCOMPARE(at->key, 5000.0);
    QCOMPARE((at + 1)->key, 5001.0);
    view.resetView();
    view.replotNow();
    QCOMPARE(x->range().upper, 100001.0);
  }

  void hoverShowsTheExactValuesOfTheNearestPoint() {
    TrainingCurvesView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.addRun(1, "a");
    for (int64_t step = 1; step <= 100; ++step) view.appendMetrics(1, step, report(step));
    view.setSmoothing(0);
    view.replotNow();
    QCPAxisRect* rect = view.plot()->panelRect(CurvePanel::Losses);
    const QPointF pixel(rect->axis(QCPAxis::atBottom)->coordToPixel(40),
                        rect->axis(QCPAxis::atLeft)->coordToPixel(5.0 / 1.4));
    // Through a real mouse move, as a person would.
    QMouseEvent move(QEvent::MouseMove, pixel, view.plot()->mapToGlobal(pixel), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(view.plot(), &move);
    const QString text = view.readout();
    QVERIFY2(text.contains("a · loss — step 40"), qPrintable(text));
    QVERIFY2(text.contains("epoch 0.400"), qPrintable(text));
    QVERIFY2(text.contains("value 3.571429"), qPrintable(text));
    QVERIFY2(text.contains("0:00:20.0"), qPrintable(text));
  }

  void wheelZoomStopsFollowingAndResetViewFitsAgain() {
    TrainingCurvesView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.addRun(1, "a");
    for (int64_t step = 1; step <= 1000; ++step) view.appendMetrics(1, step, report(step));
    view.replotNow();
    QCPAxisRect* rect = view.plot()->panelRect(CurvePanel::LearningRate);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCOMPARE(x->range().upper, 1000.0);
    const QPointF centre = rect->rect().center();
    QWheelEvent wheel(centre, view.plot()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.plot(), &wheel);
    QVERIFY(x->range().size() < 999.0);  // zoomed in
    QVERIFY(!view.plot()->following());
    // The other plots share the zoomed x range.
    QCOMPARE(view.plot()->panelRect(CurvePanel::Losses)->axis(QCPAxis::atBottom)->range(),
             x->range());
    const QCPRange zoomed = x->range();
    for (int64_t step = 1001; step <= 1100; ++step) view.appendMetrics(1, step, report(step));
    view.replotNow();
    QCOMPARE(x->range(), zoomed);  // new points do not yank the view away
    view.resetView();
    view.replotNow();
    QCOMPARE(x->range().upper, 1100.0);
    QVERIFY(view.plot()->following());
  }

  void logScaleToggleSwitchesTheLossAxisOnly() {
    TrainingCurvesView view;
    view.setLogScale(true);
    QCOMPARE(view.plot()->panelRect(CurvePanel::Losses)->axis(QCPAxis::atLeft)->scaleType(),
             QCPAxis::stLogarithmic);
    QCOMPARE(view.plot()->panelRect(CurvePanel::LearningRate)->axis(QCPAxis::atLeft)->scaleType(),
             QCPAxis::stLinear);
    view.setLogScale(false);
    QCOMPARE(view.plot()->panelRect(CurvePanel::Losses)->axis(QCPAxis::atLeft)->scaleType(),
             QCPAxis::stLinear);
  }
};

QTEST_MAIN(TrainingCurvesTest)
#include "test_training_curves.moc"
