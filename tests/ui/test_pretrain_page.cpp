// The Pretrain page drives real (tiny) runs through the JobRunner: Start,
// Pause, Continue, Stop with a checkpoint, Resume from it; the history lists
// runs and overlays them on the curves; a NaN stop is logged in plain words;
// closing the window or the project during a run stops it cleanly.

#include <QAbstractButton>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "store/project.h"
#include "store/run_store.h"
#include "tests/ui/pretrain_fixture.h"
#include "tests/ui/ui_fixture.h"
#include "train/pretrain_job.h"
#include "ui/curves/training_curves_view.h"
#include "ui/job_runner.h"
#include "ui/main_window.h"
#include "ui/pretrain/pretrain_page.h"
#include "ui/pretrain/run_config_panel.h"
#include "ui/pretrain/run_details_panel.h"
#include "ui/pretrain/run_history_model.h"
#include "ui/pretrain/run_log_panel.h"
#include "ui/pretrain/training_status_panel.h"
#include "ui/recent_projects.h"

using namespace pl::ui;

namespace {

std::optional<pl::RunRecord> storedRun(const QString& projectPath, const QString& name) {
  auto project = pl::Project::open(projectPath.toStdString());
  if (!project) return std::nullopt;
  return pl::findRun((*project)->db(), name.toStdString());
}

std::optional<pl::CheckpointRecord> storedCheckpoint(const QString& projectPath, qint64 runId) {
  auto project = pl::Project::open(projectPath.toStdString());
  if (!project) return std::nullopt;
  return pl::latestCheckpoint((*project)->db(), runId);
}

/// Answers the next message box with `button` as soon as it appears.
void answerNextMessageBox(QMessageBox::StandardButton button) {
  QTimer::singleShot(50, [button] {
    if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
      box->button(button)->click();
    } else {
      answerNextMessageBox(button);  // not open yet: try again shortly
    }
  });
}

}  // namespace

class PretrainPageTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    RecentProjects::clear();
    QVERIFY(dir_.isValid());
  }

  void startPauseContinueStopThenResume() {
    QString path = test::makeToyProject(dir_.path(), false, QStringLiteral("run.plens"));
    QVERIFY(!path.isEmpty());
    auto project = pl::Project::open(path.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    PretrainPage page(&runner);
    page.resize(1400, 900);
    page.show();
    page.setProject(project->get());
    page.configPanel()->setConfig(test::tinyRunConfig());
    QCOMPARE(page.runNameEdit()->text(), QStringLiteral("run-1"));
    page.runNameEdit()->setText(QStringLiteral("tiny"));
    QVERIFY2(page.startButton()->isEnabled(),
             qPrintable(page.configPanel()->problems().join('\n')));
    QVERIFY(!page.pauseButton()->isEnabled());

    QSignalSpy metrics(&runner, &JobRunner::metrics);
    QSignalSpy paused(&runner, &JobRunner::pausedChanged);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy ended(&page, &PretrainPage::runEnded);
    QVERIFY(page.start());
    QVERIFY(runner.isRunning());
    QVERIFY(!page.startButton()->isEnabled());
    QCOMPARE(page.runNameEdit()->text(), QStringLiteral("tiny-1"));  // the next run's name
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() >= 20, 20000);
    QVERIFY(page.liveRunId() != 0);
    QVERIFY(page.curves()->hasRun(page.liveRunId()));
    QVERIFY(page.history()->isOverlaid(page.liveRunId()));

    page.togglePause();
    QCOMPARE(paused.count(), 1);
    QCOMPARE(paused.last().at(0).toBool(), true);
    QCOMPARE(page.pauseButton()->text(), QStringLiteral("Continue"));
    QTest::qWait(300);  // the step in flight lands
    const int held = metrics.count();
    QTest::qWait(400);
    QVERIFY2(metrics.count() <= held + 1, "a paused run kept training");
    QVERIFY(page.status()->summary().contains(QStringLiteral("Paused")));

    page.togglePause();
    QCOMPARE(paused.last().at(0).toBool(), false);
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() > held + 10, 10000);

    page.stop();
    QVERIFY(!page.stopButton()->isEnabled());
    QVERIFY(finished.wait(20000));
    QVERIFY(!page.isTraining());
    QCOMPARE(ended.count(), 1);
    QCOMPARE(ended.first().at(1).toString(), QStringLiteral("stopped"));
    const qint64 lastStep = metrics.last().at(0).toLongLong();
    auto run = storedRun(path, QStringLiteral("tiny"));
    QVERIFY(run.has_value());
    QCOMPARE(QString::fromStdString(run->status), QStringLiteral("stopped"));
    auto checkpoint = storedCheckpoint(path, run->id);
    QVERIFY(checkpoint.has_value());
    QVERIFY(QFile::exists(QString::fromStdString(checkpoint->path)));
    QCOMPARE(checkpoint->step, lastStep);
    QVERIFY(page.log()->toPlainText().contains(QStringLiteral("Checkpoint saved")));

    // The stopped run is selected, resumable, and goes on from its checkpoint.
    QVERIFY(page.details()->resumeButton()->isEnabled());
    QVERIFY(page.details()->configView()->toPlainText().contains(QStringLiteral("\"dim\": 32")));
    metrics.clear();
    QVERIFY(page.resumeSelected());
    QCOMPARE(page.liveRunId(), qint64(run->id));
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() >= 10, 20000);
    QCOMPARE(metrics.first().at(0).toLongLong(), lastStep + 1);
    test::maybeGrab(page, QStringLiteral("ui-test-pretrain-running.png"));
    page.stop();
    QVERIFY(finished.wait(20000));
    run = storedRun(path, QStringLiteral("tiny"));
    QCOMPARE(QString::fromStdString(run->status), QStringLiteral("stopped"));
    QVERIFY(run->step > lastStep);
    QCOMPARE(storedCheckpoint(path, run->id)->step, run->step);

    // The selected run's report, as the Report… button writes it.
    QVERIFY(page.details()->reportButton()->isEnabled());
    const QString report = dir_.filePath(QStringLiteral("tiny-report.html"));
    QVERIFY(page.writeReport(report));
    QFile html(report);
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(html.readAll().contains("<h1>Run tiny</h1>"));
    QFile pdf(dir_.filePath(QStringLiteral("tiny-report.pdf")));  // printed beside it
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
  }

  void historyListsRunsAndOverlaysTwo() {
    QString path = test::makeToyProject(dir_.path(), false, QStringLiteral("history.plens"));
    auto project = pl::Project::open(path.toStdString());
    QVERIFY(project.ok());
    for (const char* name : {"first", "second"}) {
      pl::PretrainOptions options;
      options.runName = name;
      options.config = test::tinyRunConfig();
      options.config.maxSteps = 30;
      options.config.maskRate = name[0] == 'f' ? 0.15 : 0.4;
      pl::JobContext context;
      auto report = pl::runPretraining(**project, options, context);
      QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
    }
    JobRunner runner;
    PretrainPage page(&runner);
    page.resize(1400, 900);
    page.show();
    page.setProject(project->get());
    RunHistoryModel* history = page.history();
    QCOMPARE(history->rowCount(), 2);
    QCOMPARE(history->index(0, RunHistoryModel::Name).data().toString(), QStringLiteral("first"));
    QCOMPARE(history->index(1, RunHistoryModel::Status).data().toString(),
             QStringLiteral("finished"));
    QCOMPARE(history->index(1, RunHistoryModel::MaskRate).data().toString(), QStringLiteral("0.4"));
    QCOMPARE(history->index(0, RunHistoryModel::Steps).data().toString(), QStringLiteral("30"));
    QVERIFY(!history->index(0, RunHistoryModel::FinalLoss).data().toString().isEmpty());
    QCOMPARE(page.runNameEdit()->text(), QStringLiteral("run-1"));

    const qint64 first = history->runs()[0].run.id;
    const qint64 second = history->runs()[1].run.id;
    // An opened project shows its newest run, with every stored loss point.
    QVERIFY(history->isOverlaid(second));
    QVERIFY(page.curves()->hasRun(second));
    QVERIFY(!page.curves()->hasRun(first));
    QCOMPARE(page.curves()->store().run(second)->series.at("loss").size(), size_t(30));
    QVERIFY(history->setData(history->index(0, 0), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(page.curves()->hasRun(first));
    QVERIFY(page.curves()->hasRun(second));
    QCOMPARE(page.curves()->store().run(first)->series.at("loss").size(), size_t(30));
    QVERIFY(page.curves()->runColor(first) != page.curves()->runColor(second));
    page.curves()->replotNow();
    test::maybeGrab(page, QStringLiteral("ui-test-pretrain-overlay.png"));
    QVERIFY(history->setData(history->index(0, 0), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!page.curves()->hasRun(first));
    QVERIFY(page.curves()->hasRun(second));

    // Selecting shows the config (the newest run is selected on open);
    // Clone fills the panel under a new name.
    QCOMPARE(page.details()->cloneButton()->isEnabled(), true);
    page.selectRun(second);
    QVERIFY(
        page.details()->configView()->toPlainText().contains(QStringLiteral("\"mask_rate\": 0.4")));
    QVERIFY(!page.details()->resumeButton()->isEnabled());  // finished runs do not resume
    page.cloneSelected();
    QCOMPARE(page.configPanel()->config().maskRate, 0.4);
    QCOMPARE(page.configPanel()->config().maxSteps, qint64(30));
    QCOMPARE(page.runNameEdit()->text(), QStringLiteral("second-1"));
    QVERIFY(page.startButton()->isEnabled());
    page.runNameEdit()->setText(QStringLiteral("first"));
    QVERIFY(!page.startButton()->isEnabled());  // names are unique
  }

  void nanStopIsLoggedInPlainWords() {
    QString path = test::makeToyProject(dir_.path(), false, QStringLiteral("nan.plens"));
    auto project = pl::Project::open(path.toStdString());
    JobRunner runner;
    PretrainPage page(&runner);
    page.setProject(project->get());
    pl::RunConfig c = test::tinyRunConfig();
    c.objectives = {{"mlm", 1.0}};
    c.lr = 1e30;  // the weights blow up within a few steps
    c.warmupFraction = 0;
    c.clipNorm = 1e30;
    c.checkpointEvery = 1;
    page.configPanel()->setConfig(c);
    QSignalSpy ended(&page, &PretrainPage::runEnded);
    QVERIFY(page.start());
    QVERIFY(ended.wait(20000));
    QCOMPARE(ended.first().at(1).toString(), QStringLiteral("failed"));
    QString log = page.log()->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("the loss became NaN")) ||
                 log.contains(QStringLiteral("the loss became infinite")),
             qPrintable(log));
    QVERIFY(log.contains(QStringLiteral("lower learning rate")));
    QCOMPARE(log.count(QStringLiteral("the loss became")), 1);  // said once
    QVERIFY(page.log()->errorCount() == 1);
    QCOMPARE(page.history()->index(0, RunHistoryModel::Status).data().toString(),
             QStringLiteral("failed"));
    QVERIFY(page.details()->resumeButton()->isEnabled());
  }

  void closingTheWindowDuringARunStopsIt() {
    QString path = test::makeToyProject(dir_.path(), false, QStringLiteral("close.plens"));
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openProject(path));
    window.showPage(MainWindow::PretrainPageIndex);
    PretrainPage* page = window.pretrainPage();
    page->configPanel()->setConfig(test::tinyRunConfig());
    QSignalSpy metrics(window.jobs(), &JobRunner::metrics);
    QVERIFY(page->start());
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() >= 5, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QLabel*>(QStringLiteral("trainingStatus"))
                                 ->text()
                                 .contains(QStringLiteral("step")),
                             5000);
    test::maybeGrab(window, QStringLiteral("ui-test-pretrain-window.png"));

    answerNextMessageBox(QMessageBox::No);  // changed their mind: keeps training
    QVERIFY(!window.close());
    QVERIFY(page->isTraining());
    answerNextMessageBox(QMessageBox::Yes);
    QVERIFY(window.close());
    QVERIFY(!page->isTraining());
    QVERIFY(!window.jobs()->isRunning());
    auto run = storedRun(path, QStringLiteral("run-1"));
    QVERIFY(run.has_value());
    QCOMPARE(QString::fromStdString(run->status), QStringLiteral("stopped"));
    QVERIFY(storedCheckpoint(path, run->id).has_value());
  }

  void keyboardShortcutsDriveTheRun() {
    QString path = test::makeToyProject(dir_.path(), false, QStringLiteral("keys.plens"));
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(path));
    QVERIFY(QTest::qWaitForWindowActive(&window));
    PretrainPage* page = window.pretrainPage();
    page->configPanel()->setConfig(test::tinyRunConfig());
    // On another page the keys do nothing.
    window.showPage(MainWindow::DataPageIndex);
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(!page->isTraining());

    window.showPage(MainWindow::PretrainPageIndex);
    QSignalSpy metrics(window.jobs(), &JobRunner::metrics);
    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(page->isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() >= 3, 20000);
    QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier);
    QVERIFY(window.jobs()->isPaused());
    QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier);
    QVERIFY(!window.jobs()->isPaused());
    QTest::keyClick(&window, Qt::Key_Period, Qt::ControlModifier);
    QVERIFY(finished.wait(20000));
    QCOMPARE(QString::fromStdString(storedRun(path, QStringLiteral("run-1"))->status),
             QStringLiteral("stopped"));
    // Ctrl+Shift+Return resumes the selected (just stopped) run.
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(page->isTraining());
    QCOMPARE(page->liveRunId(), qint64(storedRun(path, QStringLiteral("run-1"))->id));
    page->stopAndWait();
  }

  void openingAnotherProjectDuringARunStopsIt() {
    QString path = test::makeToyProject(dir_.path(), false, QStringLiteral("switch.plens"));
    QString other = test::makeToyProject(dir_.path(), false, QStringLiteral("other.plens"));
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(path));
    PretrainPage* page = window.pretrainPage();
    page->configPanel()->setConfig(test::tinyRunConfig());
    QSignalSpy metrics(window.jobs(), &JobRunner::metrics);
    QVERIFY(page->start());
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() >= 5, 20000);
    answerNextMessageBox(QMessageBox::Yes);
    QVERIFY(window.openProject(other));
    QVERIFY(!page->isTraining());
    QCOMPARE(QString::fromStdString(window.project()->path()), other);
    QCOMPARE(page->history()->rowCount(), 0);  // the other project's (empty) history
    QCOMPARE(QString::fromStdString(storedRun(path, QStringLiteral("run-1"))->status),
             QStringLiteral("stopped"));
  }

 private:
  QTemporaryDir dir_;
};

QTEST_MAIN(PretrainPageTest)
#include "test_pretrain_page.moc"
