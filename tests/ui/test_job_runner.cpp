// JobRunner: core jobs run off the GUI thread, report through queued
// signals, can be cancelled, and finish on the GUI thread.

#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <any>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ui/job_runner.h"

using pl::ui::JobRunner;

class JobRunnerTest : public QObject {
  Q_OBJECT

 private slots:
  void progressReachesTheGuiThread() {
    JobRunner runner;
    QThread* gui = QThread::currentThread();
    QThread* workThread = nullptr;
    QThread* doneThread = nullptr;
    QList<QThread*> progressThreads;
    connect(&runner, &JobRunner::progress, this,
            [&](qint64, qint64, const QString&) { progressThreads << QThread::currentThread(); });
    QVERIFY(runner.start(
        QStringLiteral("count"),
        [&](pl::JobContext& context) {
          workThread = QThread::currentThread();
          context.setProgressInterval(std::chrono::milliseconds(0));
          for (int i = 1; i <= 10; ++i) context.progress(i, 10, "counting");
        },
        [&](const QString& crash) {
          QVERIFY(crash.isEmpty());
          doneThread = QThread::currentThread();
        }));
    QVERIFY(runner.isRunning());
    runner.waitForFinished();
    QVERIFY(workThread != gui);
    QCOMPARE(doneThread, gui);
    QVERIFY(!progressThreads.isEmpty());
    for (QThread* t : progressThreads) QCOMPARE(t, gui);
    QVERIFY(!runner.isRunning());
  }

  void cancelStopsTheJob() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    bool cancelledInDone = false;
    runner.start(
        QStringLiteral("endless"),
        [](pl::JobContext& context) {
          auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
          while (!context.stopRequested() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
        },
        [&](const QString&) { cancelledInDone = runner.wasCancelled(); });
    QTimer::singleShot(50, &runner, &JobRunner::cancel);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(finished.wait(10000));
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(cancelledInDone);
    QCOMPARE(finished.first().at(1).toBool(), true);
  }

  void oneJobAtATime() {
    JobRunner runner;
    std::atomic<bool> release{false};
    QVERIFY(runner.start(QStringLiteral("first"), [&](pl::JobContext&) {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }, [](const QString&) {}));
    QVERIFY(!runner.start(QStringLiteral("second"), [](pl::JobContext&) {}, [](const QString&) {}));
    release = true;
    runner.waitForFinished();
    QVERIFY(runner.start(QStringLiteral("third"), [](pl::JobContext&) {}, [](const QString&) {}));
    runner.waitForFinished();
  }

  void metricsReachTheGuiThreadInOrder() {
    JobRunner runner;
    QList<qint64> steps;
    double lastLoss = 0;
    connect(&runner, &JobRunner::metrics, this, [&](qint64 step, const pl::ui::MetricValues& v) {
      QCOMPARE(QThread::currentThread(), thread());
      steps << step;
      lastLoss = v.at("loss");
    });
    runner.start(
        QStringLiteral("metrics"),
        [](pl::JobContext& context) {
          for (int i = 1; i <= 50; ++i) context.metrics(i, {{"loss", 1.0 / i}, {"lr", 0.1}});
        },
        [](const QString&) {});
    runner.waitForFinished();
    QCOMPARE(steps.size(), 50);  // every report, none coalesced: the curves keep every point
    QCOMPARE(steps.first(), qint64(1));
    QCOMPARE(steps.last(), qint64(50));
    QCOMPARE(lastLoss, 1.0 / 50);
  }

  void pauseHoldsTheJobUntilResumed() {
    JobRunner runner;
    std::atomic<int> count{0};
    QSignalSpy paused(&runner, &JobRunner::pausedChanged);
    runner.start(
        QStringLiteral("pausable"),
        [&](pl::JobContext& context) {
          while (!context.stopRequested()) {
            if (context.pauseRequested()) {
              std::this_thread::sleep_for(std::chrono::milliseconds(2));
              continue;
            }
            ++count;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        },
        [](const QString&) {});
    QTRY_VERIFY(count > 5);
    runner.setPaused(true);
    QVERIFY(runner.isPaused());
    QCOMPARE(paused.count(), 1);
    QTest::qWait(50);  // let the job reach its pause check
    int held = count;
    QTest::qWait(100);
    QCOMPARE(int(count), held);
    runner.setPaused(false);
    QVERIFY(!runner.isPaused());
    QTRY_VERIFY(count > held + 5);
    // Stopping while paused ends the job and reports the pause as over.
    runner.setPaused(true);
    runner.cancel();
    runner.waitForFinished();
    QCOMPARE(paused.count(), 4);
    QCOMPARE(paused.last().at(0).toBool(), false);
    QVERIFY(!runner.isPaused());
  }

  void anExceptionBecomesAMessage() {
    JobRunner runner;
    QString crash;
    runner.start(
        QStringLiteral("boom"), [](pl::JobContext&) { throw std::runtime_error("disk full"); },
        [&](const QString& message) { crash = message; });
    runner.waitForFinished();
    QCOMPARE(crash, QStringLiteral("disk full"));
  }

  void partialResultsReachTheGuiThreadAsSent() {
    JobRunner runner;
    QThread* gui = QThread::currentThread();
    std::vector<int> received;
    bool threadsOk = true;
    connect(&runner, &JobRunner::partialResult, this, [&](const std::any& result) {
      threadsOk = threadsOk && QThread::currentThread() == gui;
      received.push_back(*std::any_cast<std::shared_ptr<const int>>(result));
    });
    bool wanted = false;
    runner.start(
        QStringLiteral("snapshots"),
        [&](pl::JobContext& context) {
          wanted = context.wantsPartial();
          for (int i = 1; i <= 3; ++i) context.partial(std::make_shared<const int>(i));
        },
        [](const QString&) {});
    runner.waitForFinished();
    QCoreApplication::processEvents();
    QVERIFY(wanted);
    QVERIFY(threadsOk);
    QCOMPARE(received, (std::vector<int>{1, 2, 3}));
  }

  void noListenerMeansTheJobNeedNotBuildPartials() {
    JobRunner runner;
    bool wanted = true;
    runner.start(QStringLiteral("quiet"), [&](pl::JobContext& context) {
      wanted = context.wantsPartial();
    }, [](const QString&) {});
    runner.waitForFinished();
    QVERIFY(!wanted);
  }
};

QTEST_MAIN(JobRunnerTest)
#include "test_job_runner.moc"
