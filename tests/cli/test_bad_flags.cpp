// Every command answers a bad flag value with exit status 2 and one sentence
// that names the flag, before it touches a project (issue 21): a table of
// commands x bad values through the real binary.
#include <QtTest>

#include "test_support.h"

class TestBadFlags : public QObject {
  Q_OBJECT
 private slots:
  void badValuesExitTwoNamingTheFlag() {
    QTemporaryDir dir;
    const QString p = dir.filePath("never-created.plens");
    struct Case {
      QStringList args;
      const char* names;  ///< what the message must mention
    };
    const QList<Case> cases = {
        {{"pretrain", p, "--run", "r", "--dim", "1e20"}, "--dim"},
        {{"pretrain", p, "--run", "r", "--dim", "-3"}, "--dim"},
        {{"pretrain", p, "--run", "r", "--lr", "1e-3x"}, "--lr"},
        {{"pretrain", p, "--run", "r", "--lr", "nan"}, "--lr"},
        {{"pretrain", p, "--run", "r", "--mask-rate", "nan"}, "--mask-rate"},
        {{"pretrain", p, "--run", "r", "--mask-rate", "inf"}, "--mask-rate"},
        {{"pretrain", p, "--run", "r", "--seed", "-1"}, "--seed"},
        {{"pretrain", p, "--run", "r", "--epochs", "2.5"}, "--epochs"},
        {{"pretrain", p, "--run", "r", "--batch", ""}, "--batch"},
        {{"pretrain", p, "--run", "r", "--objectives", "mlm:abc"}, "mlm"},
        {{"pretrain", p, "--run", "r", "--temperature", "0"}, "temperature"},
        {{"pretrain", p, "--run", "r", "--view-drop", "0.99"}, "view word drop"},
        {{"pretrain", p, "--run", "r", "--max-steps", "99999999999999999999"}, "--max-steps"},
        {{"export", p, "--run", "r", "--out", dir.filePath("x"), "--thumbnail", "12px"}, "--thumbnail"},
        {{"eval", p, "--label", "category", "--k", "ten"}, "--k"},
        {{"neighbors", p, "--run", "r", "--query", "x", "--k", "0"}, "--k"},
        {{"finetune", p, "--run", "r", "--label", "category", "--epochs", "nan"}, "epochs"},
        {{"finetune", p, "--run", "r", "--label", "category", "--fraction", "2"}, "--fraction"},
    };
    for (const Case& c : cases) {
      const pl::test::CliRun r = pl::test::runCli(c.args, 60000);
      const QByteArray what = c.args.join(' ').toUtf8();
      QVERIFY2(r.exitCode == 2, (what + " -> exit " + QByteArray::number(r.exitCode) + ": " + r.err).constData());
      QVERIFY2(r.err.startsWith("error: ") && r.err.contains(c.names), (what + " -> " + r.err).constData());
      QVERIFY2(!QFile::exists(p), what.constData());  // nothing was created
    }
    // info --issues is read after the project opens: still a usage error.
    QCOMPARE(pl::test::runCli({"import", p, QString::fromStdString(pl::test::writeFile(dir, "c.csv", "id,title\n1,a b\n")),
                               "--quiet"}).exitCode, 0);
    const pl::test::CliRun info = pl::test::runCli({"info", p, "--issues", "-5"});
    QCOMPARE(info.exitCode, 2);
    QVERIFY(info.err.contains("--issues"));
  }
};

QTEST_GUILESS_MAIN(TestBadFlags)
#include "test_bad_flags.moc"
