// Runs on pictures in the Pretrain page: the image input appears when the
// project has pictures, the "Pictures" settings show only with it, the
// Pictures tab previews the views before a run, and during a mim run it
// shows the model's reconstructions.

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "store/project.h"
#include "tests/image_fixture.h"
#include "tests/ui/ui_fixture.h"
#include "ui/job_runner.h"
#include "ui/pretrain/image_preview_panel.h"
#include "ui/pretrain/image_settings.h"
#include "ui/pretrain/input_fields_list.h"
#include "ui/pretrain/pretrain_page.h"
#include "ui/pretrain/run_config_panel.h"

using namespace pl::ui;

namespace {

pl::RunConfig pictureRun() {
  pl::RunConfig c;
  c.inputs = {"image"};
  c.image = pl::ImageShape{16, 3, true};
  c.objectives = {{"mim", 1.0}, {"contrastive", 1.0}};
  c.lexicalViews = 0;
  c.dim = 32;
  c.embeddingDim = 32;
  c.vocabSize = 40;
  c.batch = 16;
  c.epochs = 0;
  c.maxSteps = 1'000'000;  // stopped by the test
  c.threads = 1;
  c.validationFraction = 0.1;
  return c;
}

}  // namespace

class PictureSettingsTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(dir_.isValid());
    pl::ImportOptions o;
    QFile csv(dir_.filePath("pictures.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write(pl::test::writePictureCatalog(dir_, 48));
    csv.close();
    o.catalogPath = csv.fileName().toStdString();
    path_ = test::importIntoNewProject(dir_.filePath("pictures.plens"), o);
    QVERIFY(!path_.isEmpty());
  }

  void imageInputAndSettingsAppearWithPictures() {
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    PretrainPage page(&runner);
    page.setProject(project->get());
    RunConfigPanel* panel = page.configPanel();
    QVERIFY(panel->inputs()->item("image") != nullptr);
    QVERIFY(panel->inputs()->item("image")->text().contains(QStringLiteral("picture, 100% filled")));
    QVERIFY(panel->images()->isHidden());
    pl::RunConfig c = pictureRun();
    c.imageEncoder = "image-vit";
    c.augment.blur = 0.4;
    panel->setConfig(c);
    QVERIFY(!panel->images()->isHidden());
    panel->show();
    test::maybeGrab(*panel->images(), QStringLiteral("ui-test-picture-settings.png"));
    QCOMPARE(panel->images()->encoder()->currentData().toString(), QStringLiteral("image-vit"));
    QCOMPARE(panel->config().toJson(), c.toJson());  // every picture field round-trips
    // A size mim's patches do not divide is refused before Start.
    panel->images()->size()->setValue(24);
    panel->images()->encoder()->setCurrentIndex(0);
    QVERIFY(panel->isValid());
    pl::RunConfig odd = panel->config();
    odd.patchSize = 5;
    panel->setConfig(odd);
    QVERIFY(!panel->isValid());
    QVERIFY2(panel->problems().join(" ").contains(QStringLiteral("patch size"), Qt::CaseInsensitive),
             qPrintable(panel->problems().join(" ")));
  }

  void picturesTabPreviewsViewsThenReconstructions() {
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    PretrainPage page(&runner);
    page.resize(1280, 800);
    page.show();
    page.setProject(project->get());
    page.configPanel()->setConfig(pictureRun());
    ImagePreviewPanel* pictures = page.pictures();
    QTRY_VERIFY_WITH_TIMEOUT(pictures->preview() != nullptr, 5000);
    QCOMPARE(pictures->preview()->step, int64_t(-1));
    QCOMPARE(pictures->preview()->items.size(), size_t(4));
    const auto& first = pictures->preview()->items[0];
    QCOMPARE(first.fitted.rows, 16);
    QVERIFY(!first.viewA.empty() && !first.viewB.empty() && !first.masked.empty());
    QVERIFY(first.reconstruction.empty());  // no model yet

    page.runNameEdit()->setText(QStringLiteral("pictures"));
    QSignalSpy finished(&runner, &JobRunner::finished);
    QVERIFY(page.start());
    QTRY_VERIFY_WITH_TIMEOUT(pictures->preview() && pictures->preview()->step >= 0, 30000);
    QVERIFY(!pictures->preview()->items.at(0).reconstruction.empty());
    QVERIFY(pictures->caption()->text().contains(QStringLiteral("At step")));
    test::maybeGrab(*pictures, QStringLiteral("ui-test-pictures-tab.png"));
    page.stop();
    QVERIFY(finished.wait(30000));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(PictureSettingsTest)
#include "test_picture_settings.moc"
