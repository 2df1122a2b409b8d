// Every command answers a bad flag value with exit status 2 and one sentence
// that names the flag, before it touches a project (issue 21): a table of
// commands x numeric flags x bad values through the real binary.
#include <QCryptographicHash>
#include <QDirIterator>
#include <QThread>
#include <QtTest>
#include <algorithm>
#include <memory>
#include <vector>

#include "test_support.h"

namespace {

constexpr int kTimeoutMs = 60000;

/// Runs the CLI once per command line, a few at a time (each run is mostly
/// start-up), and returns the runs in the order of `commands`.
QList<pl::test::CliRun> runAll(const QList<QStringList>& commands, const QString& workingDirectory) {
  const int width = std::clamp(QThread::idealThreadCount(), 2, 8);
  QList<pl::test::CliRun> runs;
  for (int first = 0; first < commands.size(); first += width) {
    std::vector<std::unique_ptr<QProcess>> batch;
    for (int i = first; i < std::min<int>(first + width, static_cast<int>(commands.size())); ++i) {
      batch.push_back(std::make_unique<QProcess>());
      batch.back()->setWorkingDirectory(workingDirectory);
      batch.back()->start(QString::fromUtf8(PL_CLI_PATH), commands[i]);
    }
    for (auto& p : batch) {
      if (!p->waitForFinished(kTimeoutMs)) {
        p->kill();
        p->waitForFinished();
      }
      runs.push_back({p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1, p->readAllStandardOutput(),
                      p->readAllStandardError()});
    }
  }
  return runs;
}

/// Every file under `dir` with a hash of its bytes: equal snapshots, an
/// untouched folder (no new journal, run folder or migrated schema).
QMap<QString, QByteArray> snapshot(const QString& dir) {
  QMap<QString, QByteArray> files;
  QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    files[QDir(dir).relativeFilePath(path)] = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
  }
  return files;
}

/// A command and its numeric flags; "{P}" stands for the project path.
struct CommandFlags {
  QStringList args;
  QStringList flags;
};

const QStringList kBadValues = {"nan", "inf", "1e20", "-1", "12x", ""};

// Every command that takes a number, with the numeric flags it reads (all of
// them; pretrain and efficiency: one flag per way of reading a number, as
// the rest share that code). No flag takes a negative, so "-1" is bad for all.
const QList<CommandFlags> kCommands = {
    {{"bench", "pretrain"},
     {"layers", "dim", "heads", "seq", "batch", "vocab", "steps", "warmup", "threads", "seed", "mask-rate", "dropout",
      "lr"}},
    {{"bench", "neighbors"},
     {"n", "dim", "queries", "clusters", "k", "m", "ef-construction", "ef-search", "threads", "seed"}},
    {{"bench", "projection"}, {"n", "dim", "clusters", "seed", "threads"}},
    {{"bench", "images", "--project", "{P}"}, {"size", "channels", "count", "threads"}},
    {{"info", "{P}"}, {"issues"}},
    {{"pretrain", "{P}", "--run", "r"}, {"lr", "dim", "max-steps", "seed", "world-size", "mask-rate"}},
    {{"export", "{P}", "--run", "r", "--out", "{P}.out"}, {"thumbnail"}},
    {{"neighbors", "{P}", "--run", "r", "--query", "x"}, {"k"}},
    {{"project", "{P}", "--run", "r"},
     {"perplexity", "learning-rate", "iterations", "n-neighbors", "min-dist", "epochs", "seed", "threads"}},
    {{"eval", "{P}", "--label", "category"}, {"k", "probe"}},
    {{"finetune", "{P}", "--run", "r", "--label", "category"},
     {"epochs", "patience", "batch", "lr", "encoder-lr", "validation", "seed", "threads", "fraction"}},
    {{"efficiency", "{P}", "--run", "r", "--label", "category"},
     {"fractions", "epochs", "lr", "validation", "seed", "threads"}},
    {{"baskets", "{P}"}, {"k"}},
    {{"recommend", "{P}", "--product", "1"}, {"k"}},
    {{"export", "{P}", "--format", "recommendations", "--out", "{P}.csv"}, {"k"}},
    {{"finetune-retrieval", "{P}", "--run", "r", "--name", "n"},
     {"epochs", "lr", "batch", "patience", "negatives", "seed", "threads"}},
};

/// One bad command line and what its message must mention.
struct Case {
  QStringList args;
  QString names;
};

/// Each command with each of its flags and each bad value: the values go
/// round the flags, so every flag gets one and every command gets them all.
QList<Case> tableCases() {
  QList<Case> cases;
  for (const CommandFlags& c : kCommands) {
    const auto n = std::max(c.flags.size(), kBadValues.size());
    for (qsizetype i = 0; i < n; ++i) {
      const QString flag = "--" + c.flags[i % c.flags.size()];
      cases.push_back({c.args + QStringList{flag, kBadValues[i % kBadValues.size()]}, flag});
    }
  }
  return cases;
}

/// Values that read as numbers but are not the flag's: out of range, not
/// whole, a bad list item, an open interval's end, what validate() checks.
QList<Case> rangeCases() {
  return {
      {{"pretrain", "{P}", "--run", "r", "--epochs", "2.5"}, "--epochs"},
      {{"pretrain", "{P}", "--run", "r", "--max-steps", "99999999999999999999"}, "--max-steps"},
      {{"pretrain", "{P}", "--run", "r", "--objectives", "mlm:abc"}, "mlm"},
      {{"pretrain", "{P}", "--run", "r", "--temperature", "0"}, "temperature"},
      {{"bench", "pretrain", "--steps", "2147483648"}, "--steps"},
      {{"bench", "neighbors", "--ef-search", "32,,64"}, "--ef-search"},
      {{"bench", "images", "--project", "{P}", "--channels", "2"}, "--channels"},
      {{"eval", "{P}", "--label", "category", "--probe", "0.1,0"}, "--probe"},
      {{"neighbors", "{P}", "--run", "r", "--query", "x", "--k", "0"}, "--k"},
      {{"project", "{P}", "--run", "r", "--iterations", "2.5"}, "--iterations"},
      {{"finetune", "{P}", "--run", "r", "--label", "category", "--fraction", "2"}, "--fraction"},
      {{"finetune", "{P}", "--run", "r", "--label", "category", "--validation", "1"}, "--validation"},
      {{"finetune-retrieval", "{P}", "--run", "r", "--name", "n", "--negatives", "0.5"}, "--negatives"},
  };
}

}  // namespace

class TestBadFlags : public QObject {
  Q_OBJECT
 private slots:
  // The cases take turns between a path with no project (a command that
  // opened or created one first would exit 1 or leave a file behind) and a
  // small imported project, which must not change by a byte.
  void badValuesExitTwoNamingTheFlag() {
    QTemporaryDir missingDir;
    QTemporaryDir projectDir;
    const QString missing = missingDir.filePath("never-created.plens");
    pl::test::importedProject(projectDir, "id,title,category\n1,red shirt,tops\n2,blue jeans,bottoms\n").reset();
    const QString project = projectDir.filePath("p.plens");
    const QMap<QString, QByteArray> before = snapshot(projectDir.path());
    QVERIFY(before.contains("p.plens"));

    const QList<Case> cases = tableCases() + rangeCases();
    QList<QStringList> commands;
    for (qsizetype i = 0; i < cases.size(); ++i) {
      QStringList args = cases[i].args;
      for (QString& a : args) a.replace("{P}", i % 2 ? project : missing);
      commands.push_back(args);
    }
    const QList<pl::test::CliRun> runs = runAll(commands, missingDir.path());
    QCOMPARE(runs.size(), cases.size());
    for (qsizetype i = 0; i < cases.size(); ++i) {
      const pl::test::CliRun& r = runs[i];
      const QByteArray what = "'" + commands[i].join("' '").toUtf8() + "'";
      QVERIFY2(r.exitCode == 2, (what + " -> exit " + QByteArray::number(r.exitCode) + ": " + r.err).constData());
      QVERIFY2(r.err.startsWith("error: ") && r.err.contains(cases[i].names.toUtf8()),
               (what + " -> " + r.err).constData());
    }
    // Nothing was created (no project, run folder or export) or changed.
    QCOMPARE(QDir(missingDir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
    QCOMPARE(snapshot(projectDir.path()), before);
  }
};

QTEST_GUILESS_MAIN(TestBadFlags)
#include "test_bad_flags.moc"
