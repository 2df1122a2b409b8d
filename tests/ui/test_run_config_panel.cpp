// The Pretrain page's configuration panel: it maps to and from RunConfig
// exactly, keeps the masking slider and spin box together, explains invalid
// combinations before Start, estimates the model, and applies presets.

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "store/project.h"
#include "tests/ui/pretrain_fixture.h"
#include "tests/ui/ui_fixture.h"
#include "train/run_estimate.h"
#include "ui/pretrain/config_checks.h"
#include "ui/pretrain/exact_double_spin_box.h"
#include "ui/pretrain/input_fields_list.h"
#include "ui/pretrain/masking_rate_control.h"
#include "ui/pretrain/model_settings.h"
#include "ui/pretrain/objectives_editor.h"
#include "ui/pretrain/project_facts.h"
#include "ui/pretrain/run_config_panel.h"
#include "ui/pretrain/run_presets.h"

using namespace pl::ui;

namespace {

/// A config where no field has its default, with values a 2-decimal spin
/// box would round and attribute inputs in a non-catalog order.
pl::RunConfig unusualConfig() {
  pl::RunConfig c;
  c.encoder = "text-bow";
  c.layers = 5;
  c.dim = 96;
  c.heads = 3;
  c.maxLength = 37;
  c.pooling = "cls";
  c.dropout = 0.1234;
  c.embeddingDim = 72;
  c.vocabSize = 1234;
  c.inputs = {"category", "title", "brand", "price", "description"};
  c.validationFraction = 0.0375;
  c.objectives = {{"attr", 0.375}, {"mlm", 2.5}, {"contrastive", 0.123456}};
  c.maskRate = 0.123;
  c.wholeWordMask = true;
  c.temperature = 0.0725;
  c.viewWordDrop = 0.333;
  c.firstViewWordDrop = 0.275;
  c.negativeQueue = 513;
  c.whiten = false;
  c.attrTargets = {"brand", "category"};
  c.epochs = 7;
  c.maxSteps = 12345;
  c.timeLimitMinutes = 1.2345;
  c.batch = 48;
  c.lr = 0.00012345;
  c.weightDecay = 0.0125;
  c.warmupFraction = 0.0333;
  c.schedule = "linear";
  c.clipNorm = 0.75;
  c.seed = 18446744073709551557ULL;  // beyond what an int spin box holds
  c.threads = 3;
  c.checkpointEvery = 777;
  return c;
}

}  // namespace

class RunConfigPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(dir_.isValid());
    path_ = test::makeToyProject(dir_.path());
    QVERIFY(!path_.isEmpty());
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    facts_ = readProjectFacts((*project)->db());
  }

  void projectFactsListTheFields() {
    QCOMPARE(facts_.products, qint64(240));
    QVERIFY(!facts_.hasBaskets());
    QVERIFY(facts_.hasField("title"));
    QVERIFY(facts_.hasField("price"));
    QVERIFY(facts_.meanTitleChars > 10);
  }

  void configRoundTripsExactly_data() {
    QTest::addColumn<QString>("json");
    QTest::newRow("defaults") << QString::fromStdString(pl::RunConfig{}.toJson());
    QTest::newRow("every field changed") << QString::fromStdString(unusualConfig().toJson());
    pl::RunConfig outOfRange = unusualConfig();
    outOfRange.maskRate = 0.9;  // beyond the slider, allowed by the core
    outOfRange.lr = 1e30;
    outOfRange.inputs = {"title", "not_a_field"};
    outOfRange.schedule = "warp";
    QTest::newRow("outside the widgets' ranges") << QString::fromStdString(outOfRange.toJson());
  }

  void configRoundTripsExactly() {
    QFETCH(QString, json);
    auto config = pl::RunConfig::fromJson(json.toStdString(), "test");
    QVERIFY(config.ok());
    RunConfigPanel panel;
    panel.setProjectFacts(facts_);
    panel.setConfig(*config);
    pl::RunConfig back = panel.config();
    QCOMPARE(QString::fromStdString(back.toJson()), json);
    // Field by field for the ones a widget could round or reorder.
    QCOMPARE(back.lr, config->lr);
    QCOMPARE(back.maskRate, config->maskRate);
    QCOMPARE(back.timeLimitMinutes, config->timeLimitMinutes);
    QCOMPARE(back.seed, config->seed);
    QVERIFY(back.inputs == config->inputs);
    QVERIFY(back.objectives == config->objectives);
    QVERIFY(back.attrTargets == config->attrTargets);
    // And again: showing a config twice changes nothing.
    panel.setConfig(back);
    QCOMPARE(QString::fromStdString(panel.config().toJson()), json);
  }

  void editsReachTheConfig() {
    RunConfigPanel panel;
    panel.setProjectFacts(facts_);
    panel.setConfig(pl::RunConfig{});
    panel.model()->layers()->setValue(2);
    panel.objectives()->checkBox("attr")->setChecked(true);
    panel.objectives()->weightBox("attr")->setValue(0.5);
    panel.inputs()->item("brand")->setCheckState(Qt::Checked);
    panel.inputs()->item("category")->setCheckState(Qt::Checked);
    pl::RunConfig c = panel.config();
    QCOMPARE(c.layers, 2);
    QCOMPARE(c.weight("attr"), 0.5);
    QVERIFY((c.inputs == std::vector<std::string>{"title", "brand", "category"}));
    panel.inputs()->item("title")->setCheckState(Qt::Unchecked);
    QVERIFY((panel.config().inputs == std::vector<std::string>{"brand", "category"}));
  }

  void maskingSliderAndSpinBoxStayInSync() {
    MaskingRateControl control;
    control.setValue(0.3);
    QCOMPARE(control.slider()->value(), 30);
    control.slider()->setValue(55);  // as a drag does
    QCOMPARE(control.value(), 0.55);
    QCOMPARE(control.spinBox()->value(), 0.55);
    control.spinBox()->setValue(0.07);  // as typing does
    QCOMPARE(control.slider()->value(), 7);
    QCOMPARE(control.value(), 0.07);
    control.spinBox()->setValue(0.95);  // clamped to the page's range
    QCOMPARE(control.value(), MaskingRateControl::kMaximum);
    QCOMPARE(control.slider()->value(), 80);
  }

  void headsThatDoNotDivideTheWidthAreExplained() {
    RunConfigPanel panel;
    panel.setProjectFacts(facts_);
    pl::RunConfig c = test::tinyRunConfig();
    panel.setConfig(c);
    QVERIFY2(panel.isValid(), qPrintable(panel.problems().join('\n')));
    QSignalSpy validity(&panel, &RunConfigPanel::validityChanged);
    panel.model()->dim()->setValue(100);
    panel.model()->heads()->setValue(8);
    QVERIFY(!panel.isValid());
    QCOMPARE(validity.count(), 1);
    QVERIFY(panel.problemsLabel()->isVisibleTo(&panel));
    QString text = panel.problemsLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("Heads (8) must divide the model width (100)")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("try")), qPrintable(text));  // a suggestion
    panel.model()->heads()->setValue(4);
    QVERIFY(panel.isValid());
    QVERIFY(!panel.problemsLabel()->isVisibleTo(&panel));
    // The bag of subwords has no heads: the same numbers are fine there.
    panel.model()->heads()->setValue(8);
    panel.model()->encoder()->setCurrentIndex(panel.model()->encoder()->findData("text-bow"));
    QVERIFY(panel.isValid());
    QVERIFY(!panel.model()->heads()->isEnabled());
  }

  void copurchaseWithoutBasketsIsExplained() {
    RunConfigPanel panel;
    panel.setProjectFacts(facts_);
    panel.setConfig(test::tinyRunConfig());
    panel.objectives()->checkBox("copurchase")->setChecked(true);
    QVERIFY(!panel.isValid());
    QVERIFY2(panel.problems().join(' ').contains(QStringLiteral("Co-purchase needs baskets")),
             qPrintable(panel.problems().join('\n')));
    // With baskets in the project the same config is fine.
    QTemporaryDir dir;
    QString withBaskets = test::makeToyProject(dir.path(), true);
    auto project = pl::Project::open(withBaskets.toStdString());
    QVERIFY(project.ok());
    ProjectFacts facts = readProjectFacts((*project)->db());
    QVERIFY(facts.hasBaskets());
    panel.setProjectFacts(facts);
    QVERIFY2(panel.isValid(), qPrintable(panel.problems().join('\n')));
  }

  void otherProblemsAreExplainedToo() {
    RunConfigPanel panel;
    panel.setProjectFacts(ProjectFacts{});
    QVERIFY(panel.problems().join(' ').contains(QStringLiteral("Open a project")));
    panel.setProjectFacts(facts_);
    pl::RunConfig c = test::tinyRunConfig();
    c.inputs = {"brand"};  // mlm needs text
    c.maxSteps = 0;        // and no limit at all
    panel.setConfig(c);
    QString all = panel.problems().join('\n');
    QVERIFY2(all.contains(QStringLiteral("needs a text input")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("epochs, a step limit or a time limit")), qPrintable(all));
    c = test::tinyRunConfig();
    c.vocabSize = 8;  // only the core's validate() knows this one
    panel.setConfig(c);
    QVERIFY2(panel.problems().join(' ').contains(QStringLiteral("ocabulary size")),
             qPrintable(panel.problems().join('\n')));
  }

  void bigCatalogsGetALexicalViewsNote() {
    ProjectFacts big = facts_;
    big.products = 500'000;
    pl::RunConfig c;  // the default takes lexical views
    QVERIFY(configNotes(c, big).join(' ').contains(QStringLiteral("lexical neighbours")));
    QVERIFY(!configNotes(c, facts_).join(' ').contains(QStringLiteral("lexical neighbours")));
    c.lexicalViews = 0;
    QVERIFY(!configNotes(c, big).join(' ').contains(QStringLiteral("lexical neighbours")));
  }

  void estimateMatchesTheCoreAndFollowsEdits() {
    RunConfigPanel panel;
    panel.setProjectFacts(facts_);
    pl::RunConfig c;
    panel.setConfig(c);
    qint64 params = panel.estimate().parameters;
    QCOMPARE(params, qint64(pl::countParameters(c, {}, c.vocabSize)));
    QVERIFY(panel.estimateLabel()->text().contains(QStringLiteral("parameters")));
    QVERIFY(panel.estimateLabel()->text().contains(QStringLiteral("per epoch")));
    QCOMPARE(panel.estimate().stepsPerEpoch, qint64(2));  // 235 training products / 128
    panel.model()->dim()->setValue(256);
    QVERIFY(panel.estimate().parameters > 2 * params);
  }

  void presetsApplyAndSave() {
    RunConfigPanel panel;
    panel.setProjectFacts(facts_);
    pl::RunConfig mine = test::tinyRunConfig();
    mine.inputs = {"title", "brand"};
    panel.setConfig(mine);
    QVERIFY(panel.applyPreset(QStringLiteral("Quick look")));
    pl::RunConfig quick = panel.config();
    QCOMPARE(quick.encoder, std::string("text-bow"));
    QCOMPARE(quick.epochs, 1);
    QVERIFY((quick.inputs == mine.inputs));  // the project's inputs stay
    QVERIFY(panel.applyPreset(QStringLiteral("Thorough")));
    QCOMPARE(panel.config().encoder, std::string("text-transformer"));
    QCOMPARE(panel.config().layers, 4);
    QVERIFY(panel.config().wholeWordMask);

    QVERIFY(!RunPresets::save(QStringLiteral("Default"), mine));  // built-in names are taken
    QVERIFY(RunPresets::save(QStringLiteral("tiny/mine"), mine));
    QVERIFY(RunPresets::savedNames().contains(QStringLiteral("tiny-mine")));
    auto back = RunPresets::find(QStringLiteral("tiny-mine"));
    QVERIFY(back.has_value());
    QCOMPARE(QString::fromStdString(back->toJson()), QString::fromStdString(mine.toJson()));
    RunPresets::remove(QStringLiteral("tiny-mine"));
    QVERIFY(!RunPresets::find(QStringLiteral("tiny-mine")).has_value());
  }

 private:
  QTemporaryDir dir_;
  QString path_;
  ProjectFacts facts_;
};

QTEST_MAIN(RunConfigPanelTest)
#include "test_run_config_panel.moc"
