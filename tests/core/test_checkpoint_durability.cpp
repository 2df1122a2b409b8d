// Checkpoint bookkeeping when the machine loses power, not only when the
// process is killed: the row of a new checkpoint is committed durably
// (synchronous = FULL) before an old checkpoint file is deleted, and if the
// last transaction is lost anyway, a listed checkpoint still loads.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "train/checkpoint.h"

#include <sqlite3.h>

#include <QtTest>
#include <filesystem>

#include "store/project.h"
#include "store/run_store.h"
#include "test_support.h"

using namespace pl;

namespace {

RunConfig tinyConfig() {
  RunConfig c;
  c.encoder = "text-bow";
  c.dim = 4;
  c.embeddingDim = 4;
  c.inputs = {"title"};
  return c;
}

// A run with a tiny model, saving checkpoints into the project's folder.
struct Trainer {
  ProductModel model{tinyConfig(), std::vector<int64_t>{}, 16};
  FusedAdamW optimizer{model->parameters(), FusedAdamWOptions{}};
  TrainingPosition position;
  std::string dir;
  int64_t runId = 0;

  Trainer(Project& p, const QTemporaryDir& folder) {
    auto id = createRun(p.db(), "r", "pretrain", tinyConfig().toJson());
    if (!id) qFatal("%s", id.error().message.c_str());
    runId = *id;
    dir = folder.filePath("p.plens.runs/r").toStdString();
    std::filesystem::create_directories(dir);
    position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
    position.maskRngState = at::detail::createCPUGenerator(2).get_state();
  }
  std::string save(Project& p, int64_t step) {
    position.step = step;
    auto path = saveRunCheckpoint(p.db(), runId, dir, *model, optimizer, position);
    if (!path) qFatal("%s", path.error().message.c_str());
    return *path;
  }
};

// What SQLite ran, and whether the watched file existed at each commit.
struct Observer {
  std::vector<std::string> statements;
  std::vector<bool> watchedAtCommit;
  std::string watched;
};

int onStatement(unsigned, void* observer, void*, void* sql) {
  static_cast<Observer*>(observer)->statements.emplace_back(static_cast<const char*>(sql));
  return 0;
}

int onCommit(void* observer) {
  auto* o = static_cast<Observer*>(observer);
  o->watchedAtCommit.push_back(std::filesystem::exists(o->watched));
  return 0;  // let it commit
}

ptrdiff_t indexOf(const std::vector<std::string>& all, const std::string& wanted) {
  auto it = std::find(all.begin(), all.end(), wanted);
  return it == all.end() ? -1 : it - all.begin();
}

}  // namespace

class TestCheckpointDurability : public QObject {
  Q_OBJECT
 private slots:
  void oldFilesGoOnlyAfterADurableCommit() {
    QTemporaryDir folder;
    auto p = test::newProject(folder);
    QCOMPARE(p->db().scalar("PRAGMA synchronous"), int64_t(1));  // NORMAL: fast, not durable
    Trainer t(*p, folder);
    const std::string first = t.save(*p, 1);
    t.save(*p, 2);

    Observer seen;
    seen.watched = first;
    sqlite3_trace_v2(p->db().handle(), SQLITE_TRACE_STMT, onStatement, &seen);
    sqlite3_commit_hook(p->db().handle(), onCommit, &seen);
    t.save(*p, 3);
    sqlite3_commit_hook(p->db().handle(), nullptr, nullptr);
    sqlite3_trace_v2(p->db().handle(), 0, nullptr, nullptr);

    // The transaction that forgets step 1 committed with the WAL synced...
    const ptrdiff_t full = indexOf(seen.statements, "PRAGMA synchronous = FULL");
    const ptrdiff_t commit = indexOf(seen.statements, "RELEASE save_checkpoint");
    const ptrdiff_t back = indexOf(seen.statements, "PRAGMA synchronous = 1");
    QVERIFY2(full >= 0 && commit > full && back > commit, qPrintable(QString::number(full) + " " +
                                                                     QString::number(commit) + " " +
                                                                     QString::number(back)));
    // ...while step 1's file was still there; it went after.
    QCOMPARE(seen.watchedAtCommit, std::vector<bool>{true});
    QVERIFY(!std::filesystem::exists(first));
    QCOMPARE(p->db().scalar("PRAGMA synchronous"), int64_t(1));  // the project's level is back
  }

  void aLostLastTransactionStillLeavesACheckpointThatLoads() {
    QTemporaryDir folder;
    const std::string projectPath = folder.filePath("p.plens").toStdString();
    const std::string snapshot = folder.filePath("before.plens").toStdString();
    std::string first, second;
    {
      auto p = test::newProject(folder);
      Trainer t(*p, folder);
      first = t.save(*p, 1);
      second = t.save(*p, 2);
      p->db().exec("VACUUM INTO '" + snapshot + "'");  // the disk as a power cut could leave it
      t.save(*p, 3);
    }
    // The power cut lost the commit of step 3 (as synchronous = NORMAL
    // allows) but not the deletion of step 1's file that followed it.
    for (const char* tail : {"", "-wal", "-shm"}) std::filesystem::remove(projectPath + tail);
    std::filesystem::copy_file(snapshot, projectPath);
    auto reopened = Project::open(projectPath, OpenMode::Existing);
    QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.error().message.c_str());
    Project& p = **reopened;
    const int64_t runId = findRun(p.db(), "r")->id;
    auto listed = runCheckpoints(p.db(), runId);
    QCOMPARE(listed.size(), size_t(2));
    QCOMPARE(listed[0].step, int64_t(2));
    QVERIFY(!std::filesystem::exists(first));  // the older listed file is gone...
    ProductModel model(tinyConfig(), std::vector<int64_t>{}, 16);
    TrainingPosition position;
    auto restored = loadNewestCheckpoint(p.db(), runId, *model, nullptr, position);
    QVERIFY2(restored.ok(), restored.ok() ? "" : restored.error().message.c_str());
    QCOMPARE(restored->record.step, int64_t(2));  // ...the newest listed one loads
    QVERIFY(restored->warning.empty());
    QCOMPARE(position.step, int64_t(2));
  }
};

QTEST_GUILESS_MAIN(TestCheckpointDurability)
#include "test_checkpoint_durability.moc"
