// The Export page: lists the runs (embedded ones first), writes the chosen
// format on the runner and lists the files; a failed export says why.

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "store/project.h"
#include "store/run_store.h"
#include "tests/toy_catalog.h"
#include "tests/ui/ui_fixture.h"
#include "ui/export/export_page.h"
#include "ui/job_runner.h"

using namespace pl::ui;

class ExportPageTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(dir_.isValid());
    QFile csv(dir_.filePath("toy.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write(pl::test::toyCatalogCsv(30));
    csv.close();
    pl::ImportOptions o;
    o.catalogPath = csv.fileName().toStdString();
    path_ = test::importIntoNewProject(dir_.filePath("toy.plens"), o);
    QVERIFY(!path_.isEmpty());
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    pl::Database& db = (*project)->db();
    QVERIFY(pl::createRun(db, "plain", "pretrain", "{}").ok());
    auto id = pl::createRun(db, "embedded", "pretrain", "{}");
    QVERIFY(id.ok());
    auto ids = db.prepare("SELECT id FROM products ORDER BY id");
    auto insert = db.prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?, ?, ?)");
    while (ids.step()) {
      float v[2] = {1.0f, float(ids.int64(0))};
      insert.bind(1, *id).bind(2, ids.int64(0)).bindBlob(3, v, sizeof v).run();
    }
  }

  void exportsCsvAndListsTheFile() {
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    ExportPage page(&runner);
    page.setProject(project->get());
    QCOMPARE(page.runCombo()->count(), 2);
    QCOMPARE(page.runCombo()->currentData().toString(), QStringLiteral("embedded"));
    QVERIFY(page.runCombo()->itemText(1).contains(QStringLiteral("not embedded")));
    QVERIFY(!page.exportButton()->isEnabled());  // no output yet
    page.formatCombo()->setCurrentIndex(page.formatCombo()->findData(QStringLiteral("csv")));
    const QString out = dir_.filePath("vectors.csv");
    page.outputEdit()->setText(out);
    page.metadataEdit()->setText(QStringLiteral("title, brand"));
    QVERIFY(page.exportButton()->isEnabled());
    QSignalSpy finished(&page, &ExportPage::exportFinished);
    QVERIFY(page.startExport());
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QVERIFY(page.resultLabel()->text().contains(QStringLiteral("30 products")));
    QFile written(out);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readLine().trimmed(), QByteArray("id,title,brand,e0,e1"));
    test::maybeGrab(page, QStringLiteral("ui-test-export-page.png"));
  }

  void aRunWithoutVectorsFailsInPlainWords() {
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    ExportPage page(&runner);
    page.setProject(project->get());
    page.runCombo()->setCurrentIndex(1);  // "plain": never embedded
    page.formatCombo()->setCurrentIndex(page.formatCombo()->findData(QStringLiteral("tsv")));
    page.outputEdit()->setText(dir_.filePath("plain.tsv"));
    QSignalSpy finished(&page, &ExportPage::exportFinished);
    QVERIFY(page.startExport());
    QVERIFY(finished.wait(20000));
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY(page.resultLabel()->text().contains(QStringLiteral("run 'embed' first")));
    QVERIFY(!QFile::exists(dir_.filePath("plain.tsv")));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(ExportPageTest)
#include "test_export_page.moc"
