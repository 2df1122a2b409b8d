// Kills a real pretraining process with SIGKILL and resumes it: the final
// loss must equal that of a run that was never interrupted.
#include <signal.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"

namespace {

const QStringList kTiny = {"--layers", "1", "--dim", "32", "--heads", "2", "--max-length", "12",
                           "--embedding-dim", "32", "--vocab", "60", "--batch", "16",
                           "--max-steps", "400", "--checkpoint-every", "50", "--threads", "1",
                           "--lr", "3e-3", "--quiet", "--json"};

QJsonObject runToEnd(const QStringList& args) {
  QProcess p;
  p.start(QString::fromUtf8(PL_CLI_PATH), args);
  p.waitForFinished(300000);
  QByteArray out = p.readAllStandardOutput();
  if (p.exitCode() != 0) qWarning("%s", p.readAllStandardError().constData());
  return QJsonDocument::fromJson(out).object();
}

int64_t latestCheckpointStep(const QString& project) {
  auto p = pl::Project::open(project.toStdString(), pl::OpenMode::ReadOnly);
  if (!p) return -1;
  try {
    auto run = pl::findRun((*p)->db(), "r");
    if (!run) return -1;
    auto ckpt = pl::latestCheckpoint((*p)->db(), run->id);
    return ckpt ? ckpt->step : -1;
  } catch (const pl::StoreError&) {
    return -1;  // schema not there yet
  }
}

}  // namespace

class TestPretrainResume : public QObject {
  Q_OBJECT
 private slots:
  void killedAndResumedRunEndsWithTheSameLoss() {
    QTemporaryDir dir;
    std::string csv = pl::test::writeFile(dir, "toy.csv", pl::test::toyCatalogCsv(240));
    QString whole = dir.filePath("whole.plens"), killed = dir.filePath("killed.plens");
    for (const QString& project : {whole, killed}) {
      QProcess imp;
      imp.start(QString::fromUtf8(PL_CLI_PATH), {"import", project, QString::fromStdString(csv), "--quiet"});
      QVERIFY(imp.waitForFinished(60000));
      QCOMPARE(imp.exitCode(), 0);
    }
    QJsonObject reference = runToEnd(QStringList{"pretrain", whole, "--run", "r"} + kTiny);
    QCOMPARE(reference["steps"].toInt(), 400);

    QProcess victim;
    victim.start(QString::fromUtf8(PL_CLI_PATH), QStringList{"pretrain", killed, "--run", "r"} + kTiny);
    QVERIFY(victim.waitForStarted());
    QElapsedTimer timer;
    timer.start();
    while (latestCheckpointStep(killed) < 100 && timer.elapsed() < 120000 &&
           victim.state() == QProcess::Running) {
      QThread::msleep(10);
    }
    if (victim.state() != QProcess::Running) QFAIL("the run finished before it could be killed");
    ::kill(static_cast<pid_t>(victim.processId()), SIGKILL);
    QVERIFY(victim.waitForFinished(10000));
    QCOMPARE(victim.exitStatus(), QProcess::CrashExit);
    int64_t killedAt = latestCheckpointStep(killed);
    QVERIFY(killedAt >= 100 && killedAt < 400);

    QJsonObject resumed = runToEnd(QStringList{"pretrain", killed, "--run", "r", "--resume"} + kTiny);
    QCOMPARE(resumed["status"].toString(), QString("finished"));
    QCOMPARE(resumed["steps"].toInt(), 400);
    double a = reference["final_loss"].toDouble(), b = resumed["final_loss"].toDouble();
    QVERIFY2(std::abs(a - b) <= 1e-4 * std::max(1.0, std::abs(a)),
             qPrintable(QString("uninterrupted %1 vs resumed %2").arg(a, 0, 'g', 10).arg(b, 0, 'g', 10)));
  }
};

QTEST_GUILESS_MAIN(TestPretrainResume)
#include "test_pretrain_resume.moc"
