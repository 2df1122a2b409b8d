// Faults (issue 9): SIGKILL of the real productlens-cli during import,
// pretraining, resume, embedding and export never leaves a project that fails
// integrity_check or loses a completed step; a full disk fails with a message
// naming the file and keeps the previous checkpoint. The long version is
// scripts/kill_harness.sh (docs/faults.md).
#include <signal.h>
#include <sys/mount.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QStorageInfo>
#include <QThread>
#include <QtTest>
#include <cerrno>
#include <cstring>

#include "store/run_store.h"
#include "test_support.h"

namespace {

const int kProducts = 3000;
const QStringList kTiny = {"--encoder", "text-bow", "--dim", "32", "--embedding-dim", "32", "--vocab", "300",
                           "--max-length", "12", "--batch", "32", "--max-steps", "200",
                           "--checkpoint-every", "10", "--threads", "1", "--quiet"};

/// Titles with enough distinct words for a 300-piece tokenizer; ids from `firstId`.
QByteArray catalogCsv(int firstId, int count) {
  const QStringList colours = {"red", "blue", "green", "black", "white", "grey", "navy", "beige"};
  const QStringList materials = {"cotton", "leather", "wool", "steel", "canvas", "linen"};
  const QStringList nouns = {"shirt", "boot", "scarf", "kettle", "backpack", "watch", "lamp", "mug"};
  const QStringList brands = {"Acme", "Boreal", "Cobalt", "Dune", "Ember", "Fjord", "Gale", "Harbor"};
  QByteArray csv = "id,title,brand,category,price\n";
  for (int i = firstId; i < firstId + count; ++i) {
    const int n = (i * 7 + i / 3) % nouns.size();
    csv += QString("%1,%2 %3 %4 %5,%6,Shop > %7,%8\n")
               .arg(i)
               .arg(colours[(i * 5) % colours.size()], materials[(i * 3 + i / 2) % materials.size()], nouns[n])
               .arg(i % 997)
               .arg(brands[n], nouns[n])
               .arg(5 + n * 10)
               .toUtf8();
  }
  return csv;
}

QString sha256Of(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash h(QCryptographicHash::Sha256);
  h.addData(&f);
  return QString::fromLatin1(h.result().toHex());
}

/// Starts the CLI and SIGKILLs it once `ready()` holds or `maxMs` passed;
/// true when the kill landed (the process was still running).
template <typename Ready>
bool killWhen(const QStringList& args, int maxMs, Ready ready) {
  QProcess p;
  p.start(QString::fromUtf8(PL_CLI_PATH), args);
  if (!p.waitForStarted()) return false;
  QElapsedTimer timer;
  timer.start();
  while (p.state() == QProcess::Running && timer.elapsed() < maxMs && !ready()) QThread::msleep(5);
  if (p.state() != QProcess::Running) {
    p.waitForFinished();
    if (p.exitCode() != 0) qWarning("%s exited %d: %s", qPrintable(args.join(' ')), p.exitCode(),
                                    p.readAllStandardError().constData());
    return false;
  }
  ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
  p.waitForFinished(10000);
  return true;
}

/// What the checks remember across kills.
struct Seen {
  QMap<QString, int64_t> newestCheckpoint;
  QMap<QString, bool> embedded;
};

/// The project opens, passes integrity_check, lists only whole checkpoints,
/// its runs' newest checkpoints never went back and stored embeddings are
/// none or all (and stay all once complete). Empty when all holds.
QString projectProblems(const QString& path, Seen* seen) {
  auto project = pl::Project::open(path.toStdString(), pl::OpenMode::Existing);
  if (!project) return "does not open: " + QString::fromStdString(project.error().message);
  pl::Database& db = (*project)->db();
  auto check = db.prepare("PRAGMA integrity_check");
  if (!check.step() || check.text(0) != "ok") return "integrity_check: " + QString::fromStdString(check.text(0));
  if (!seen) return {};
  for (const auto& run : pl::listRuns(db)) {
    const QString name = QString::fromStdString(run.name);
    auto st = db.prepare("SELECT step, path, sha256 FROM checkpoints WHERE run_id = ?");
    st.bind(1, run.id);
    int64_t newest = -1;
    while (st.step()) {
      // Stored relative to the project's folder (schema 7).
      const QString file = QFileInfo(path).absoluteDir().filePath(QString::fromStdString(st.text(1)));
      if (!QFile::exists(file)) return name + ": listed checkpoint " + file + " is missing";
      if (sha256Of(file) != QString::fromStdString(st.text(2))) return name + ": " + file + " fails its SHA-256";
      newest = std::max(newest, st.int64(0));
    }
    if (newest < seen->newestCheckpoint.value(name, -1)) {
      return name + QString(": newest checkpoint went back to step %1").arg(newest);
    }
    seen->newestCheckpoint[name] = newest;
    auto count = db.prepare("SELECT count(*) FROM embeddings WHERE run_id = ?");
    count.bind(1, run.id);
    count.step();
    const int64_t n = count.int64(0);
    if (n != 0 && n != kProducts) return name + QString(": %1 embeddings stored (partial)").arg(n);
    if (seen->embedded.value(name) && n != kProducts) return name + ": its embeddings are gone";
    if (n == kProducts) seen->embedded[name] = true;
  }
  return {};
}

int64_t newestCheckpointStep(const QString& project, const QString& run) {
  auto p = pl::Project::open(project.toStdString(), pl::OpenMode::ReadOnly);
  if (!p) return -1;
  try {
    auto r = pl::findRun((*p)->db(), run.toStdString());
    auto c = r ? pl::latestCheckpoint((*p)->db(), r->id) : std::nullopt;
    return c ? c->step : -1;
  } catch (const pl::StoreError&) {
    return -1;  // not created yet
  }
}

/// Exported files under their final names are whole. Empty when they are.
QString exportProblems(const QString& format, const QString& target) {
  if (format == "npy") {
    QFile npy(target + "/embeddings.npy"), ids(target + "/ids.txt");
    if (npy.open(QIODevice::ReadOnly)) {
      const QByteArray data = npy.readAll();
      const int headerEnd = 10 + static_cast<unsigned char>(data[8]) + 256 * static_cast<unsigned char>(data[9]);
      const QByteArray want = QString("(%1, 32)").arg(kProducts).toUtf8();
      if (!data.left(headerEnd).contains(want) || data.size() != headerEnd + kProducts * 32 * 4) {
        return QString("embeddings.npy is %1 bytes").arg(data.size());
      }
    }
    if (ids.open(QIODevice::ReadOnly) && ids.readAll().count('\n') != kProducts) return "ids.txt is short";
  } else if (format == "csv") {
    QFile f(target);
    if (f.open(QIODevice::ReadOnly)) {
      const QByteArray text = f.readAll();
      if (!text.endsWith('\n') || text.count('\n') != kProducts + 1) return "the CSV is short";
    }
  } else if (format == "sqlite") {
    if (QFile::exists(target)) {
      pl::Database db(target.toStdString(), false, true);
      if (db.scalar("SELECT count(*) FROM embeddings") != kProducts) return "the SQLite export is short";
    }
  } else if (format == "model") {
    for (const char* name : {"config.json"}) {
      QFile f(target + "/" + name);
      if (f.open(QIODevice::ReadOnly) && QJsonDocument::fromJson(f.readAll()).isNull()) return "config.json";
    }
    QFile st(target + "/model.safetensors");
    if (st.open(QIODevice::ReadOnly)) {
      const QByteArray data = st.readAll();
      qint64 headerLength = 0;
      std::memcpy(&headerLength, data.constData(), 8);
      if (QJsonDocument::fromJson(data.mid(8, static_cast<int>(headerLength))).isNull()) return "safetensors header";
    }
  }
  return {};
}

}  // namespace

class TestKillFaults : public QObject {
  Q_OBJECT
 private slots:
  void killsAtRandomMomentsLoseNothing() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cli = QString::fromUtf8(PL_CLI_PATH);
    const QString base = dir.filePath("base.plens"), project = dir.filePath("p.plens");
    const std::string catalog = pl::test::writeFile(dir, "catalog.csv", catalogCsv(0, kProducts));
    const std::string big = pl::test::writeFile(dir, "big.csv", catalogCsv(100000, 60000));
    QCOMPARE(pl::test::runCli({"import", base, QString::fromStdString(catalog), "--quiet"}).exitCode, 0);
    QVERIFY(QFile::copy(base, project));
    // A finished, embedded run to export.
    QCOMPARE(pl::test::runCli(QStringList{"pretrain", project, "--run", "done"} + kTiny).exitCode, 0);
    QCOMPARE(pl::test::runCli({"embed", project, "--run", "done", "--quiet"}).exitCode, 0);

    QRandomGenerator rng(9);
    Seen seen;
    int kills = 0;
    QMap<QString, int> perStage;
    const QStringList stages = {"pretrain", "resume", "import", "embed", "export", "resume",
                                "pretrain", "export", "resume", "embed", "import", "export"};
    int runs = 0;
    for (const QString& stage : stages) {
      bool killed = false;
      QString checked = project;
      if (stage == "pretrain") {
        const QString run = QString("r%1").arg(++runs);
        const int64_t target = 10 * rng.bounded(1, 6);
        killed = killWhen(QStringList{"pretrain", project, "--run", run} + kTiny, 15000,
                          [&] { return newestCheckpointStep(project, run) >= target; });
      } else if (stage == "resume") {
        // Killed a few checkpoints on (or by the clock): while it still runs.
        const QString run = QString("r%1").arg(runs);
        const int64_t target = newestCheckpointStep(project, run) + 10 * rng.bounded(1, 4);
        killed = killWhen(QStringList{"pretrain", project, "--run", run, "--resume"} + kTiny,
                          rng.bounded(1500, 4000), [&] { return newestCheckpointStep(project, run) >= target; });
      } else if (stage == "import") {
        checked = dir.filePath("import.plens");
        // A quick stage may end before its moment: again, sooner, until a kill lands.
        for (int delay = rng.bounded(300, 2500), tries = 0; !killed && tries < 5; ++tries, delay /= 2) {
          QFile::remove(checked);
          QVERIFY(QFile::copy(base, checked));
          killed = killWhen({"import", checked, QString::fromStdString(big), "--quiet"}, delay,
                            [] { return false; });
        }
      } else if (stage == "embed") {
        for (int delay = rng.bounded(300, 2000), tries = 0; !killed && tries < 5; ++tries, delay /= 2) {
          killed = killWhen({"embed", project, "--run", QString("r%1").arg(runs), "--quiet"}, delay,
                            [] { return false; });
        }
      } else {
        const QStringList formats = {"npy", "csv", "sqlite", "model"};
        const QString format = formats[rng.bounded(formats.size())];
        const QString target = dir.filePath(format == "csv" ? "out.csv" : format == "sqlite" ? "out.db" : "out-" + format);
        for (int delay = rng.bounded(300, 2000), tries = 0; !killed && tries < 5; ++tries, delay /= 2) {
          killed = killWhen({"export", project, "--run", "done", "--format", format, "--out", target, "--quiet"},
                            delay, [] { return false; });
        }
        const QString bad = exportProblems(format, target);
        QVERIFY2(bad.isEmpty(), qPrintable(stage + ": " + bad));
      }
      kills += killed ? 1 : 0;
      perStage[stage] += killed ? 1 : 0;
      const QString bad = projectProblems(checked, stage == "import" ? nullptr : &seen);
      QVERIFY2(bad.isEmpty(), qPrintable(stage + ": " + bad));
      if (stage == "import") {
        auto p = pl::Project::open(checked.toStdString(), pl::OpenMode::ReadOnly);
        QVERIFY(p);
        const int64_t n = (*p)->db().scalar("SELECT count(*) FROM products");
        QVERIFY2(n == kProducts || n == kProducts + 60000, qPrintable(QString("partial import: %1").arg(n)));
      }
    }
    // Every killed run resumes from its newest checkpoint and finishes.
    for (int r = 1; r <= runs; ++r) {
      const QString run = QString("r%1").arg(r);
      if (seen.newestCheckpoint.value(run, -1) < 0) continue;
      auto resumed = pl::test::runCli(QStringList{"pretrain", project, "--run", run, "--resume", "--json"} + kTiny);
      QVERIFY2(resumed.exitCode == 0 || resumed.err.contains("already finished"), resumed.err.constData());
    }
    QVERIFY2(projectProblems(project, &seen).isEmpty(), "after the final resumes");
    qInfo("%d kills of %d (pretrain %d, resume %d, import %d, embed %d, export %d)", kills,
          static_cast<int>(stages.size()), perStage["pretrain"], perStage["resume"], perStage["import"],
          perStage["embed"], perStage["export"]);
    // Every announced kill landed on a running command: a stage that always
    // finished first would test nothing.
    QVERIFY2(kills == static_cast<int>(stages.size()), "a command finished before its kill");
  }

  void aRunEndingOnACheckpointStepListsOnlyWholeCheckpoints() {
    // The last checkpoint step used to be written twice, leaving its first
    // row's SHA-256 stale (and, killed between, the newest checkpoint refused).
    QTemporaryDir dir;
    const QString project = dir.filePath("p.plens");
    const std::string catalog = pl::test::writeFile(dir, "catalog.csv", catalogCsv(0, kProducts));
    QCOMPARE(pl::test::runCli({"import", project, QString::fromStdString(catalog), "--quiet"}).exitCode, 0);
    QStringList args = QStringList{"pretrain", project, "--run", "r"} + kTiny;
    args[args.indexOf("--max-steps") + 1] = "30";
    QCOMPARE(pl::test::runCli(args).exitCode, 0);
    Seen seen;
    const QString bad = projectProblems(project, &seen);
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    QCOMPARE(seen.newestCheckpoint["r"], int64_t{30});
  }

  void fullDiskFailsClearlyAndKeepsThePreviousCheckpoint() {
    QTemporaryDir dir;
    const QString disk = dir.filePath("disk");
    QVERIFY(QDir().mkpath(disk));
    if (::mount("tmpfs", disk.toUtf8().constData(), "tmpfs", 0, "size=8m") != 0) {
      QSKIP(qPrintable(QString("cannot mount a small tmpfs to fill (%1; needs root or CAP_SYS_ADMIN, e.g. "
                               "not in an unprivileged container): the full-disk checks did not run")
                           .arg(std::strerror(errno))));
    }
    struct Unmount {
      QString path;
      ~Unmount() { ::umount2(path.toUtf8().constData(), MNT_DETACH); }
    } unmount{disk};
    const QString project = disk + "/p.plens", filler = disk + "/filler";
    const std::string catalog = pl::test::writeFile(dir, "catalog.csv", catalogCsv(0, kProducts));
    QCOMPARE(pl::test::runCli({"import", project, QString::fromStdString(catalog), "--quiet"}).exitCode, 0);
    // Checkpoints of ~1 MB (no neighbour bank: their size stays put).
    const QStringList wide = {"--encoder", "text-bow", "--dim", "256", "--embedding-dim", "32", "--vocab", "300",
                              "--objectives", "contrastive", "--max-length", "12", "--batch", "32",
                              "--max-steps", "60", "--checkpoint-every", "10", "--threads", "1", "--quiet"};
    QVERIFY(killWhen(QStringList{"pretrain", project, "--run", "r"} + wide, 60000,
                     [&] { return newestCheckpointStep(project, "r") >= 20; }));
    Seen seen;
    QVERIFY2(projectProblems(project, &seen).isEmpty(), "before filling the disk");
    const int64_t before = seen.newestCheckpoint["r"];
    QCOMPARE(pl::test::runCli({"embed", project, "--run", "r", "--quiet"}).exitCode, 0);
    const QString out = disk + "/npy";
    QCOMPARE(pl::test::runCli({"export", project, "--run", "r", "--format", "npy", "--out", out, "--quiet"}).exitCode, 0);
    const QString exported = sha256Of(out + "/embeddings.npy");

    auto fill = [&](qint64 leaveBytes) {
      QFile::remove(filler);
      QStorageInfo info(disk);
      QFile f(filler);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
      QByteArray block(4096, '\0');
      qint64 left = info.bytesAvailable() - leaveBytes;
      while (left > 0 && f.write(block.constData(), std::min<qint64>(left, block.size())) > 0) left -= block.size();
      f.close();
    };
    // Room for the project's own writes, not for the next checkpoint.
    fill(QFileInfo(disk + QString("/p.plens.runs/r/step-%1.pt").arg(before, 8, 10, QChar('0'))).size() / 2);
    auto resumed = pl::test::runCli(QStringList{"pretrain", project, "--run", "r", "--resume"} + wide);
    QCOMPARE(resumed.exitCode, 1);
    qInfo("resume on a full disk: %s", resumed.err.trimmed().constData());
    QVERIFY2(resumed.err.contains(disk.toUtf8()) &&
                 (resumed.err.contains("No space left") || resumed.err.contains("disk is full")),
             resumed.err.constData());
    QVERIFY2(projectProblems(project, &seen).isEmpty(), "after the failed resume");
    QVERIFY(seen.newestCheckpoint["r"] >= before);

    fill(100 * 1024);  // the project opens; the export's file does not fit
    auto exportFull = pl::test::runCli({"export", project, "--run", "r", "--format", "npy", "--out", out, "--quiet"});
    QCOMPARE(exportFull.exitCode, 1);
    qInfo("export on a full disk: %s", exportFull.err.trimmed().constData());
    QVERIFY2(exportFull.err.contains((out + "/embeddings.npy").toUtf8()) && exportFull.err.contains("No space left"),
             exportFull.err.constData());
    QCOMPARE(sha256Of(out + "/embeddings.npy"), exported);  // the previous export is kept
    // A -shm file left by the failed export holds no data (no process has the
    // project open); without it, opening must create one and cannot.
    QFile::remove(project + "-shm");
    fill(0);
    auto info = pl::test::runCli({"info", project});
    QCOMPARE(info.exitCode, 1);  // SQLite cannot even make its -shm file
    qInfo("info on a full disk: %s", info.err.trimmed().constData());
    QVERIFY2(info.err.contains("disk full") && !info.err.contains("not a ProductLens project"), info.err.constData());

    QVERIFY(QFile::remove(filler));
    QVERIFY2(projectProblems(project, &seen).isEmpty(), "after freeing the disk");
    auto again = pl::test::runCli(QStringList{"pretrain", project, "--run", "r", "--resume", "--json"} + wide);
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(again.out.contains("\"steps\": 60"), again.out.constData());
    QVERIFY2(projectProblems(project, &seen).isEmpty(), "after the resume");
  }
};

QTEST_GUILESS_MAIN(TestKillFaults)
#include "test_kill_faults.moc"
