// A project travels: built from one working directory, moved to another
// folder and used from a third, every run still works; checkpoint paths are
// stored relative to the project's folder (schema 7), older projects are
// migrated on open, and a crafted path outside the folder is refused and
// never deleted.
#include <QDir>
#include <QFile>
#include <QtTest>

#include "store/project.h"
#include "test_support.h"

namespace {

using Run = pl::test::CliRun;

QByteArray catalog() {
  const QStringList nouns = {"shirt", "boot", "scarf", "kettle"};
  const QStringList categories = {"Apparel > Tops", "Footwear > Boots", "Apparel > Scarves", "Home > Kitchen"};
  QByteArray csv = "id,title,category\n";
  for (int i = 0; i < 120; ++i) {
    csv += QString("%1,colour%2 %3,%4\n").arg(i).arg(i % 7).arg(nouns[i % 4], categories[i % 4]).toUtf8();
  }
  return csv;
}

QStringList tinyRun() {
  return {"--vocab", "60", "--epochs", "2", "--dim", "16", "--embedding-dim", "16", "--threads", "1", "--quiet"};
}

std::string storedPath(const QString& project) {
  auto p = pl::Project::open(project.toStdString(), pl::OpenMode::ReadOnly);
  if (!p) return "(cannot open: " + p.error().message + ")";
  auto st = (*p)->db().prepare("SELECT path FROM checkpoints ORDER BY id DESC LIMIT 1");
  return st.step() ? st.text(0) : std::string("(none)");
}

// Rewrites the checkpoint paths of run `run` (every run when empty).
void setStoredPath(const QString& project, const std::string& path, int schemaVersion = 0,
                   const std::string& run = "") {
  auto p = pl::Project::open(project.toStdString(), pl::OpenMode::Existing);
  QVERIFY2(p, p ? "" : p.error().message.c_str());
  (*p)->db()
      .prepare("UPDATE checkpoints SET path = ? WHERE run_id IN (SELECT id FROM runs WHERE name = ?2 OR ?2 = '')")
      .bind(1, path)
      .bind(2, run)
      .run();
  if (schemaVersion > 0) (*p)->db().exec("PRAGMA user_version = " + std::to_string(schemaVersion));
}

}  // namespace

class TestPortableProject : public QObject {
  Q_OBJECT
 private slots:
  void aMovedProjectKeepsEveryRun() {
    QTemporaryDir root;
    QVERIFY(QDir(root.path()).mkpath("a/data"));
    const QString a = root.filePath("a");
    const QString csv = QString::fromStdString(pl::test::writeFile(root, "c.csv", catalog()));
    // Built from folder A with a path relative to it, as a user types it.
    Run imported = pl::test::runCli({"import", "data/p.plens", csv, "--quiet"}, 60000, a);
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    Run trained = pl::test::runCli(QStringList{"pretrain", "data/p.plens", "--run", "d"} + tinyRun(), 120000, a);
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    const std::string stored = storedPath(a + "/data/p.plens");
    QVERIFY2(stored.rfind("p.plens.runs/d/step-", 0) == 0, stored.c_str());

    // Moved, then used from another working directory by relative and absolute paths.
    QVERIFY(QDir(root.path()).rename("a", "b"));
    const QString moved = root.filePath("b/data/p.plens");
    Run embedded = pl::test::runCli({"embed", "b/data/p.plens", "--run", "d", "--quiet"}, 60000, root.path());
    QVERIFY2(embedded.exitCode == 0, embedded.err.constData());
    Run query = pl::test::runCli({"neighbors", moved, "--run", "d", "--query", "shirt", "--k", "3"}, 60000, "/");
    QVERIFY2(query.exitCode == 0, query.err.constData());
    Run tuned = pl::test::runCli({"finetune", moved, "--run", "d", "--label", "category:1", "--epochs", "2",
                                  "--name", "ft", "--quiet"}, 120000, "/");
    QVERIFY2(tuned.exitCode == 0, tuned.err.constData());
    Run exported = pl::test::runCli({"export", moved, "--run", "d", "--format", "model", "--out",
                                     root.filePath("model"), "--quiet"}, 60000, "/");
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    Run report = pl::test::runCli({"report", moved, "--run", "d", "--out", root.filePath("r.html")}, 60000, "/");
    QVERIFY2(report.exitCode == 0, report.err.constData());

    // Renamed with its runs folder (a copy saved under another name).
    QVERIFY(QDir(root.filePath("b/data")).rename("p.plens", "q.plens"));
    QVERIFY(QDir(root.filePath("b/data")).rename("p.plens.runs", "q.plens.runs"));
    Run renamed = pl::test::runCli({"embed", root.filePath("b/data/q.plens"), "--run", "d", "--quiet"});
    QVERIFY2(renamed.exitCode == 0, renamed.err.constData());
  }

  void olderProjectsAreMigratedOnOpen() {
    QTemporaryDir root;
    const QString project = root.filePath("p.plens");
    const QString csv = QString::fromStdString(pl::test::writeFile(root, "c.csv", catalog()));
    QCOMPARE(pl::test::runCli({"import", project, csv, "--quiet"}).exitCode, 0);
    QCOMPARE(pl::test::runCli(QStringList{"pretrain", project, "--run", "d"} + tinyRun()).exitCode, 0);
    const std::string relative = storedPath(project);
    // What schema 6 stored: the path from the working directory of the time.
    setStoredPath(project, "some/where/else/" + relative, 6);
    Run embedded = pl::test::runCli({"embed", project, "--run", "d", "--quiet"});  // opens writable: migrates
    QVERIFY2(embedded.exitCode == 0, embedded.err.constData());
    QCOMPARE(storedPath(project), relative);
  }

  void aCraftedPathIsRefusedAndNeverDeleted() {
    QTemporaryDir root;
    QVERIFY(QDir(root.path()).mkpath("project"));
    const QString project = root.filePath("project/p.plens");
    const QString victim = QString::fromStdString(pl::test::writeFile(root, "victim.txt", "keep me"));
    const QString csv = QString::fromStdString(pl::test::writeFile(root, "c.csv", catalog()));
    QCOMPARE(pl::test::runCli({"import", project, csv, "--quiet"}).exitCode, 0);
    QCOMPARE(pl::test::runCli(QStringList{"pretrain", project, "--run", "d"} + tinyRun()).exitCode, 0);
    const std::string original = storedPath(project);
    QCOMPARE(pl::test::runCli({"finetune", project, "--run", "d", "--label", "category:1", "--epochs", "1",
                               "--name", "ft", "--quiet"}).exitCode, 0);
    for (const std::string& crafted : {victim.toStdString(), std::string("p.plens.runs/../../victim.txt")}) {
      setStoredPath(project, crafted, 0, "d");
      Run embed = pl::test::runCli({"embed", project, "--run", "d", "--quiet"});
      QCOMPARE(embed.exitCode, 1);
      QVERIFY2(embed.err.contains("outside the project's folder"), embed.err.constData());
      // Replacing the fine-tune deletes its checkpoint files: never this one.
      setStoredPath(project, original, 0, "d");  // d usable again
      setStoredPath(project, crafted, 0, "ft");
      Run replaced = pl::test::runCli({"finetune", project, "--run", "d", "--label", "category:1", "--epochs", "1",
                                       "--name", "ft", "--replace", "--quiet"});
      QVERIFY(QFile::exists(victim));
      Q_UNUSED(replaced);
    }
  }
};

QTEST_GUILESS_MAIN(TestPortableProject)
#include "test_portable_project.moc"
