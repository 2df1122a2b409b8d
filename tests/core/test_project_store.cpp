#include <QtTest>

#include "store/project.h"
#include "store/schema.h"
#include "test_support.h"

using namespace pl;

class TestProjectStore : public QObject {
  Q_OBJECT
 private slots:
  void createsProjectAtCurrentSchemaWithWalAndForeignKeys() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    QCOMPARE(p->schemaVersion(), currentSchemaVersion());
    QCOMPARE(p->db().scalar("PRAGMA application_id"), int64_t(kProjectApplicationId));
    QCOMPARE(p->db().scalar("PRAGMA foreign_keys"), int64_t(1));
    auto mode = p->db().prepare("PRAGMA journal_mode");
    QVERIFY(mode.step());
    QCOMPARE(mode.text(0), std::string("wal"));
  }
  void reopeningKeepsDataAndDoesNotRemigrate() {
    QTemporaryDir dir;
    {
      auto p = test::newProject(dir);
      p->db().exec("INSERT INTO project_meta VALUES ('k', 'v')");
    }
    auto again = Project::open(dir.filePath("p.plens").toStdString());
    QVERIFY(again.ok());
    QCOMPARE((*again)->db().scalar("SELECT count(*) FROM project_meta"), int64_t(1));
  }
  void migratesAnOlderEmptyProject() {
    QTemporaryDir dir;
    std::string path = dir.filePath("old.plens").toStdString();
    {
      Database raw(path, true);
      raw.exec("PRAGMA application_id = " + std::to_string(kProjectApplicationId));
    }
    auto p = Project::open(path);
    QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
    QCOMPARE((*p)->schemaVersion(), currentSchemaVersion());
    QCOMPARE((*p)->db().scalar("SELECT count(*) FROM sqlite_master WHERE name = 'products'"),
             int64_t(1));
  }
  void refusesProjectFromNewerVersion() {
    QTemporaryDir dir;
    std::string path = dir.filePath("new.plens").toStdString();
    {
      auto p = test::newProject(dir, "new.plens");
      p->db().exec("PRAGMA user_version = " + std::to_string(currentSchemaVersion() + 5));
    }
    auto p = Project::open(path);
    QVERIFY(!p.ok());
    QVERIFY(p.error().message.find("newer ProductLens") != std::string::npos);
    QVERIFY(p.error().message.find(path) != std::string::npos);
  }
  void refusesOtherSqliteDatabase() {
    QTemporaryDir dir;
    std::string path = dir.filePath("other.db").toStdString();
    {
      Database raw(path, true);
      raw.exec("CREATE TABLE t(x)");
    }
    auto p = Project::open(path);
    QVERIFY(!p.ok());
    QVERIFY(p.error().message.find("not a ProductLens project") != std::string::npos);
  }
  void refusesNonSqliteFile() {
    QTemporaryDir dir;
    std::string path = test::writeFile(dir, "cat.csv", QByteArray("id,title\n1,x\n").repeated(200));
    auto p = Project::open(path);
    QVERIFY(!p.ok());
    QVERIFY(p.error().message.find("not a ProductLens project") != std::string::npos);
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().startsWith("id,title"));  // the file was not touched
  }
  void missingFileIsAnErrorUnlessCreating() {
    QTemporaryDir dir;
    auto p = Project::open(dir.filePath("none.plens").toStdString());
    QVERIFY(!p.ok());
    QVERIFY(p.error().message.find("does not exist") != std::string::npos);
  }
  void readOnlyOpenWritesNothing() {
    QTemporaryDir dir;
    test::newProject(dir);
    auto ro = Project::open(dir.filePath("p.plens").toStdString(), OpenMode::ReadOnly);
    QVERIFY(ro.ok());
    QVERIFY_THROWS_EXCEPTION(StoreError, (*ro)->db().exec("INSERT INTO project_meta VALUES ('a','b')"));
  }
  void transactionRollsBackUnlessCommitted() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    {
      Transaction tx(p->db());
      p->db().exec("INSERT INTO project_meta VALUES ('a', 'b')");
    }
    QCOMPARE(p->db().scalar("SELECT count(*) FROM project_meta"), int64_t(0));
  }
};

QTEST_APPLESS_MAIN(TestProjectStore)
#include "test_project_store.moc"
