// Applying a model from another project on the Export page: a model exported
// from project A becomes a run of project B (listed for export at once), a
// taken name and a folder without a model are refused in plain words.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "train/pretrain_job.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "export/model_export.h"
#include "store/run_store.h"
#include "tests/ui/pretrain_fixture.h"
#include "ui/export/export_page.h"
#include "ui/export/model_import_panel.h"
#include "ui/job_runner.h"

using namespace pl::ui;

class ModelImportPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(dir_.isValid());
    const QString source = test::makeToyProject(dir_.path(), false, QStringLiteral("source.plens"));
    auto project = pl::Project::open(source.toStdString());
    QVERIFY(project.ok());
    pl::PretrainOptions options;
    options.runName = "base";
    options.config = test::tinyRunConfig();
    options.config.maxSteps = 10;
    pl::JobContext context;
    auto trained = pl::runPretraining(**project, options, context);
    QVERIFY2(trained.ok(), trained.ok() ? "" : trained.error().message.c_str());
    model_ = dir_.filePath(QStringLiteral("base-model"));
    auto exported = pl::exportModel(**project, "base", model_.toStdString());
    QVERIFY2(exported.ok(), exported.ok() ? "" : exported.error().message.c_str());
    target_ = test::makeToyProject(dir_.path(), false, QStringLiteral("target.plens"));
    QVERIFY(!target_.isEmpty());
  }

  void anExportedModelBecomesARunHere() {
    auto project = pl::Project::open(target_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    ExportPage page(&runner);
    page.setProject(project->get());
    QCOMPARE(page.runCombo()->count(), 0);
    ModelImportPanel* panel = page.importPanel();
    QVERIFY(!panel->importButton()->isEnabled());
    panel->folderEdit()->setText(model_);
    panel->nameEdit()->setText(QStringLiteral("applied"));
    QVERIFY(panel->importButton()->isEnabled());
    QSignalSpy imported(panel, &ModelImportPanel::modelImported);
    QVERIFY(panel->startImport());
    QVERIFY(imported.wait(20000));
    QCOMPARE(imported.first().at(0).toString(), QStringLiteral("applied"));
    QVERIFY(pl::findRun((*project)->db(), "applied").has_value());
    QCOMPARE(page.runCombo()->count(), 1);  // listed for export without reopening
    QCOMPARE(page.runCombo()->currentData().toString(), QStringLiteral("applied"));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("Explore")));
    test::maybeGrab(page, QStringLiteral("ui-test-model-import.png"));

    // The name is taken now.
    QVERIFY(!panel->startImport());
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("already a run")));
  }

  void aFolderWithoutAModelSaysWhy() {
    auto project = pl::Project::open(target_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    ModelImportPanel panel(&runner);
    panel.setProject(project->get());
    panel.folderEdit()->setText(dir_.path());  // holds projects, not a model
    panel.nameEdit()->setText(QStringLiteral("nothing"));
    QVERIFY(panel.startImport());
    QTRY_VERIFY_WITH_TIMEOUT(panel.resultLabel()->text().contains(QStringLiteral("Import failed")), 20000);
    QVERIFY(!pl::findRun((*project)->db(), "nothing").has_value());
  }

 private:
  QTemporaryDir dir_;
  QString model_;
  QString target_;
};

QTEST_MAIN(ModelImportPanelTest)
#include "test_model_import_panel.moc"
