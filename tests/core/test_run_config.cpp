#include <QtTest>

#include <limits>

#include "train/lr_schedule.h"
#include "train/run_config.h"

using namespace pl;

class TestRunConfig : public QObject {
  Q_OBJECT
 private slots:
  void defaultsAreValid() { QVERIFY(RunConfig().validate(false).ok()); }
  void headsMustDivideDim() {
    RunConfig c;
    c.encoder = "text-transformer";
    c.dim = 100;
    c.heads = 3;
    auto s = c.validate(false);
    QVERIFY(!s.ok());
    QVERIFY(s.error().message.find("heads (3) must divide dim (100)") != std::string::npos);
  }
  void copurchaseNeedsBaskets() {
    RunConfig c;
    c.objectives = {{"copurchase", 1.0}};
    QVERIFY(!c.validate(false).ok());
    QVERIFY(c.validate(true).ok());
  }
  void attrNeedsAnAttributeInputAndTargetsMustBeInputs() {
    RunConfig c;
    c.objectives = {{"attr", 1.0}};
    QVERIFY(!c.validate(false).ok());  // title only: nothing to hide
    c.inputs = {"title", "brand"};
    QVERIFY(c.validate(false).ok());
    QCOMPARE(c.effectiveAttrTargets(), std::vector<std::string>{"brand"});
    c.attrTargets = {"category"};
    auto s = c.validate(false);
    QVERIFY(!s.ok());
    QVERIFY(s.error().message.find("must also be an input") != std::string::npos);
  }
  void evaluationLabelCannotBeAnInput() {
    RunConfig c;
    c.inputs = {"title", "articleType"};
    auto s = c.validate(false, "articleType");
    QVERIFY(!s.ok());
    QVERIFY(s.error().message.find("not self-supervision") != std::string::npos);
    QVERIFY(c.validate(false, "gender").ok());
  }
  void nanInfinityAndOutOfRangeValuesAreRefusedByName() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct Case { const char* name; double RunConfig::*field; double value; };
    const Case cases[] = {{"learning rate", &RunConfig::lr, nan},  {"masking rate", &RunConfig::maskRate, nan},
                          {"temperature", &RunConfig::temperature, inf}, {"temperature", &RunConfig::temperature, 0},
                          {"dropout", &RunConfig::dropout, 1.5},     {"learning rate", &RunConfig::lr, -1},
                          {"clip norm", &RunConfig::clipNorm, -1},  {"lexical views", &RunConfig::lexicalViews, nan}};
    for (const auto& c : cases) {
      RunConfig config;
      config.*(c.field) = c.value;
      auto s = config.validate(false);
      QVERIFY2(!s.ok(), c.name);
      QVERIFY2(s.error().message.find(c.name) != std::string::npos, s.error().message.c_str());
    }
    RunConfig weights;
    weights.objectives["contrastive"] = nan;
    QVERIFY(!weights.validate(false).ok());
    RunConfig huge;
    huge.embeddingDim = 1 << 30;
    QVERIFY(!huge.validate(false).ok());
  }
  void jsonRoundTripAndUnknownKeys() {
    RunConfig c;
    c.layers = 2;
    c.objectives = {{"mlm", 0.5}, {"contrastive", 2.0}};
    c.inputs = {"title", "brand"};
    c.viewWordDrop = 0.25;
    c.firstViewWordDrop = 0.15;
    c.negativeQueue = 1024;
    auto back = RunConfig::fromJson(c.toJson(), "x");
    QVERIFY(back.ok());
    QCOMPARE(back->toJson(), c.toJson());
    QCOMPARE(back->viewWordDrop, 0.25);
    QCOMPARE(back->firstViewWordDrop, 0.15);
    c.firstViewWordDrop = 0.85;  // a view must keep words
    QVERIFY(!c.validate(false).ok());
    c.firstViewWordDrop = 0.15;
    QCOMPARE(back->negativeQueue, 1024);
    c.viewWordDrop = 0.95;
    QVERIFY(!c.validate(false).ok());
    auto typo = RunConfig::fromJson("{\"layrs\": 3}", "run.json");
    QVERIFY(!typo.ok());
    QVERIFY(typo.error().message.find("run.json: unknown setting 'layrs'") != std::string::npos);
    auto wrongType = RunConfig::fromJson("{\"layers\": \"three\"}", "run.json");
    QVERIFY(!wrongType.ok());
    auto list = RunConfig::fromJson("{\"objectives\": [\"mlm\"]}", "run.json");
    QCOMPARE(list->objectives.size(), size_t(1));
  }
  void scheduleWarmsUpThenDecays() {
    QCOMPARE(learningRateAt(0, 100, 10, 1.0, "cosine"), 0.1);
    QCOMPARE(learningRateAt(9, 100, 10, 1.0, "cosine"), 1.0);
    QVERIFY(std::abs(learningRateAt(55, 100, 10, 1.0, "cosine") - 0.5) < 1e-9);
    QVERIFY(learningRateAt(100, 100, 10, 1.0, "cosine") < 1e-12);
    QVERIFY(std::abs(learningRateAt(55, 100, 10, 1.0, "linear") - 0.5) < 1e-9);
    QCOMPARE(learningRateAt(80, 100, 10, 1.0, "constant"), 1.0);
  }
};

QTEST_APPLESS_MAIN(TestRunConfig)
#include "test_run_config.moc"
