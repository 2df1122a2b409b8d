// One writer per project: a second process asking to write is refused with a
// clear message, the lock dies with its holder (kill -9), readers are never
// refused, and a read-only file opens read-only with the reason.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QtTest>

#include "store/project.h"
#include "test_support.h"

using namespace pl;

namespace {

// A child process that opens `path` for writing and holds it until killed;
// returns its pid once it holds the project.
pid_t holdForWriting(const std::string& path) {
  int ready[2];
  if (::pipe(ready) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(ready[0]);
    auto project = Project::open(path, OpenMode::Existing);
    const char status = project ? 'y' : 'n';
    if (::write(ready[1], &status, 1) != 1) ::_exit(2);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char status = 0;
  const bool ok = ::read(ready[0], &status, 1) == 1 && status == 'y';
  ::close(ready[0]);
  return ok ? child : -1;
}

void killAndReap(pid_t pid) {
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

class TestProjectLock : public QObject {
  Q_OBJECT
 private slots:
  void aSecondWriterProcessIsRefused() {
    QTemporaryDir dir;
    const std::string path = test::importedProject(dir, "id,title\n1,a\n2,b\n")->path();
    const pid_t holder = holdForWriting(path);
    QVERIFY(holder > 0);
    auto refused = Project::open(path, OpenMode::Existing);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.find("open for writing in another ProductLens process") != std::string::npos,
             refused.error().message.c_str());
    QVERIFY(refused.error().message.find(path) != std::string::npos);
    // Readers are not refused; the workbench's mode falls back to reading.
    auto reader = Project::open(path, OpenMode::ReadOnly);
    QVERIFY(reader.ok());
    QCOMPARE((*reader)->db().scalar("SELECT count(*) FROM products"), int64_t(2));
    auto workbench = Project::open(path, OpenMode::WritableOrReadOnly);
    QVERIFY(workbench.ok());
    QVERIFY((*workbench)->readOnly());
    QVERIFY((*workbench)->readOnlyReason().find("another ProductLens process") != std::string::npos);
    // kill -9 leaves no stale lock: the kernel drops it with the process.
    killAndReap(holder);
    auto writer = Project::open(path, OpenMode::Existing);
    QVERIFY2(writer.ok(), writer.ok() ? "" : writer.error().message.c_str());
    QVERIFY(!(*writer)->readOnly());
  }

  void oneProcessMayOpenItsProjectTwice() {
    // The GUI and its job threads each hold a connection: one lock serves all.
    QTemporaryDir dir;
    auto first = test::importedProject(dir, "id,title\n1,a\n");
    auto second = Project::open(first->path(), OpenMode::Existing);
    QVERIFY(second.ok());
    first.reset();
    (*second)->db().exec("INSERT INTO runs(name, kind, config_json) VALUES ('r', 'pretrain', '{}')");
    // Released once the last one closes: another process may write now.
    second->reset();
    const pid_t holder = holdForWriting(dir.filePath("p.plens").toStdString());
    QVERIFY(holder > 0);
    killAndReap(holder);
  }

  void aReadOnlyFileOpensReadOnlyWithTheReason() {
    QTemporaryDir dir;
    const std::string path = test::importedProject(dir, "id,title\n1,a\n")->path();
    QVERIFY(QFile::setPermissions(QString::fromStdString(path), QFile::ReadOwner | QFile::ReadGroup));
    auto strict = Project::open(path, OpenMode::Existing);
    QVERIFY(!strict);
    QVERIFY2(strict.error().message.find("is read-only: the file is marked read-only") != std::string::npos,
             strict.error().message.c_str());
    auto lenient = Project::open(path, OpenMode::WritableOrReadOnly);
    QVERIFY(lenient.ok());
    QVERIFY((*lenient)->readOnly());
    QCOMPARE((*lenient)->readOnlyReason(), std::string("the file is marked read-only"));
    QCOMPARE((*lenient)->db().scalar("SELECT count(*) FROM products"), int64_t(1));
    bool refusedWrite = false;
    try {
      (*lenient)->db().exec("DELETE FROM products");
    } catch (const StoreError&) {
      refusedWrite = true;
    }
    QVERIFY(refusedWrite);
  }

  void anImmutableOpenLeavesNoFilesBeside() {
    // How read-only folders and media are read: no -wal or -shm is created.
    QTemporaryDir dir;
    const std::string path = test::importedProject(dir, "id,title\n1,a\n2,b\n")->path();
    QVERIFY(!QFile::exists(QString::fromStdString(path + "-wal")));
    Database db(path, false, true, true);
    QCOMPARE(db.scalar("SELECT count(*) FROM products"), int64_t(2));
    QVERIFY(!QFile::exists(QString::fromStdString(path + "-shm")));
    QVERIFY(!QFile::exists(QString::fromStdString(path + "-wal")));
  }
};

QTEST_GUILESS_MAIN(TestProjectLock)
#include "test_project_lock.moc"
