// JobRunner: core jobs run off the GUI thread, report through queued
// signals, can be cancelled, and finish on the GUI thread.

#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <chrono>
#include <stdexcept>
#include <thread>

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

  void anExceptionBecomesAMessage() {
    JobRunner runner;
    QString crash;
    runner.start(
        QStringLiteral("boom"), [](pl::JobContext&) { throw std::runtime_error("disk full"); },
        [&](const QString& message) { crash = message; });
    runner.waitForFinished();
    QCOMPARE(crash, QStringLiteral("disk full"));
  }
};

QTEST_MAIN(JobRunnerTest)
#include "test_job_runner.moc"
