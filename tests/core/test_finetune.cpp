// Fine-tuning on labelled subsets (issue 6): probe and full from a tiny
// pretrained run and from scratch on a separable toy catalog; early
// stopping; the test split is never trained on; the leak guard; a stop keeps
// the best weights; the fine-tuned run embeds and predicts; label efficiency.
#include <torch/torch.h>  // before QtTest: Qt's `slots` macro breaks LibTorch headers

#include <QtTest>
#include <algorithm>
#include <set>

#include "catalog/catalog_import.h"
#include "embed/embed_job.h"
#include "embed/run_model.h"
#include "eval/eval_results.h"
#include "finetune/finetune_data.h"
#include "finetune/finetune_job.h"
#include "finetune/finetune_store.h"
#include "finetune/label_efficiency.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train/pretrain_job.h"

using namespace pl;

namespace {

// Six classes (category level 2) that the title's noun gives away.
const char* kLabel = "category:2";

RunConfig tinyBowConfig() {
  RunConfig c = test::tinyTransformerConfig(40, 1000);
  c.encoder = "text-bow";
  c.objectives = {{"contrastive", 1.0}};
  return c;
}

// 240 labelled toy products plus 6 without a category (for predictions).
std::unique_ptr<Project> toyProject(const QTemporaryDir& dir) {
  auto p = test::newProject(dir);
  QByteArray csv = test::toyCatalogCsv(240);
  csv += "u1,red wool shirt,Acme,,5\nu2,black steel watch,Fjord,,55\nu3,grey canvas backpack,Ember,,45\n"
         "u4,blue leather boot,Boreal,,15\nu5,green cotton scarf,Cobalt,,25\nu6,white steel kettle,Dune,,35\n";
  ImportOptions o;
  o.catalogPath = test::writeFile(dir, "toy.csv", csv);
  JobContext ctx;
  auto r = importCatalog(*p, o, ctx);
  if (!r) qFatal("%s", r.error().message.c_str());
  PretrainOptions pre;
  pre.runName = "base";
  pre.config = tinyBowConfig();
  auto trained = runPretraining(*p, pre, ctx);
  if (!trained) qFatal("%s", trained.error().message.c_str());
  return p;
}

FinetuneOptions options(const std::string& name, FinetuneMode mode, const std::string& base = "base") {
  FinetuneOptions o;
  o.runName = name;
  o.baseRun = base;
  o.scratchConfig = tinyBowConfig();
  o.label = kLabel;
  o.mode = mode;
  o.batch = 32;
  o.maxEpochs = 15;
  o.patience = 3;
  o.headLr = 1e-2;
  o.encoderLr = 3e-3;
  o.threads = 1;
  return o;
}

#define VERIFY_OK(r) QVERIFY2((r).ok(), (r).ok() ? "" : (r).error().message.c_str())

std::optional<EvalResult> storedResult(Project& p, const std::string& subject) {
  for (const auto& r : listEvalResults(p.db(), kLabel)) {
    if (r.subject == subject) return r;
  }
  return std::nullopt;
}

}  // namespace

class FinetuneTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Project> project_;

 private slots:
  void initTestCase() { project_ = toyProject(dir_); }

  void aProbeOnTheSeparableFixtureIsNearPerfect() {
    JobContext ctx;
    auto r = runFinetuning(*project_, options("probe", FinetuneMode::Probe), ctx);
    VERIFY_OK(r);
    QCOMPARE(r->status, std::string("finished"));
    QVERIFY2(r->test.accuracy >= 0.95, std::to_string(r->test.accuracy).c_str());
    QCOMPARE(r->test.items, int64_t{48});  // 20% of 240, stratified
    auto run = findRun(project_->db(), "probe");
    QCOMPARE(run->kind, std::string("finetune"));
    QCOMPARE(run->status, std::string("finished"));
    QVERIFY(!loadMetrics(project_->db(), run->id, "loss").empty());
    QCOMPARE(loadMetrics(project_->db(), run->id, "val/accuracy").size(), size_t(r->epochs));
    QVERIFY(!loadMetrics(project_->db(), run->id, "val/loss").empty());
    auto stored = storedResult(*project_, "probe");
    QVERIFY(stored);
    QCOMPARE(stored->method, std::string("finetune-probe"));
    QCOMPARE(stored->metrics.at("accuracy"), r->test.accuracy);
    auto head = loadFinetuneHead(project_->db(), run->id);
    QVERIFY(head);
    QCOMPARE(head->classes(), 6);
    QCOMPARE(head->baseRun, std::string("base"));
  }

  void fullFineTuningFromAPretrainedRunAndFromScratch() {
    JobContext ctx;
    auto full = runFinetuning(*project_, options("full", FinetuneMode::Full), ctx);
    VERIFY_OK(full);
    QVERIFY2(full->test.accuracy >= 0.9, std::to_string(full->test.accuracy).c_str());
    QCOMPARE(storedResult(*project_, "full")->method, std::string("finetune-full"));
    QVERIFY(!loadMetrics(project_->db(), findRun(project_->db(), "full")->id, "lr/encoder").empty());

    auto scratch = runFinetuning(*project_, options("scratch", FinetuneMode::Full, ""), ctx);
    VERIFY_OK(scratch);
    QVERIFY2(scratch->test.accuracy >= 0.9, std::to_string(scratch->test.accuracy).c_str());
    QCOMPARE(storedResult(*project_, "scratch")->method, std::string("scratch-full"));
    // Its own tokenizer, trained on the catalog.
    QVERIFY(!loadRunTokenizer(project_->db(), findRun(project_->db(), "scratch")->id).empty());
    // An existing name is refused.
    QVERIFY(!runFinetuning(*project_, options("scratch", FinetuneMode::Full, ""), ctx).ok());
  }

  void earlyStoppingEndsWhenValidationStalls() {
    auto o = options("stall", FinetuneMode::Probe);
    o.maxEpochs = 30;
    o.patience = 2;
    o.headLr = 1e-9;  // nothing moves: no epoch beats the first
    JobContext ctx;
    auto r = runFinetuning(*project_, o, ctx);
    VERIFY_OK(r);
    QCOMPARE(r->epochs, 3);
    QCOMPARE(r->bestEpoch, 1);
    QCOMPARE(r->status, std::string("finished"));
  }

  void theTestSplitIsNeverTrainedOn() {
    for (double fraction : {0.1, 0.5, 1.0}) {
      auto o = options("x", FinetuneMode::Full);
      o.fraction = fraction;
      auto d = prepareFinetuneData(project_->db(), o);
      VERIFY_OK(d);
      std::set<int64_t> test(d->split.testIds.begin(), d->split.testIds.end());
      QCOMPARE(test.size(), size_t{48});
      for (int64_t id : d->subset) QVERIFY(!test.count(id));
      std::vector<int64_t> both = d->training;
      both.insert(both.end(), d->validation.begin(), d->validation.end());
      std::sort(both.begin(), both.end());
      QCOMPARE(both, d->subset);
      if (fraction == 1.0) QCOMPARE(d->subset.size(), size_t{192});
    }
  }

  void handPickedTestProductsAreDropped() {
    auto o = options("picked", FinetuneMode::Probe);
    auto d = prepareFinetuneData(project_->db(), o);
    VERIFY_OK(d);
    o.subsetIds.assign(d->split.testIds.begin(), d->split.testIds.begin() + 5);
    o.subsetIds.insert(o.subsetIds.end(), d->split.trainIds.begin(), d->split.trainIds.begin() + 60);
    JobContext ctx;
    auto r = runFinetuning(*project_, o, ctx);
    VERIFY_OK(r);
    QCOMPARE(r->droppedTestItems, int64_t{5});
    QCOMPARE(r->trainItems + r->validationItems, int64_t{60});
    // Only test products: nothing to train on, said plainly.
    o.runName = "only-test";
    o.subsetIds.assign(d->split.testIds.begin(), d->split.testIds.begin() + 5);
    auto none = runFinetuning(*project_, o, ctx);
    QVERIFY(!none.ok());
    QVERIFY(none.error().message.find("test") != std::string::npos);
    QVERIFY(!findRun(project_->db(), "only-test"));
  }

  void theLeakGuardRefusesARunThatSawTheLabel() {
    JobContext ctx;
    PretrainOptions pre;
    pre.runName = "leaky";
    pre.config = tinyBowConfig();
    pre.config.inputs = {"title", "category"};
    pre.config.maxSteps = 2;
    VERIFY_OK(runPretraining(*project_, pre, ctx));
    auto r = runFinetuning(*project_, options("from-leaky", FinetuneMode::Probe, "leaky"), ctx);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("as an input") != std::string::npos, r.error().message.c_str());
    QVERIFY(!findRun(project_->db(), "from-leaky"));
    // Scratch with the label as an input is refused too.
    auto o = options("scratch-leaky", FinetuneMode::Full, "");
    o.scratchConfig.inputs = {"title", "category"};
    QVERIFY(!runFinetuning(*project_, o, ctx).ok());
  }

  void aStopKeepsTheBestWeightsSoFar() {
    auto o = options("stopped", FinetuneMode::Full);
    o.maxEpochs = 50;
    JobContext ctx;
    int validations = 0;
    ctx.setMetricsSink([&](int64_t step, const std::map<std::string, double>& m) {
      // Step 0 is the warm-started head's score before the encoder trains.
      if (step > 0 && m.count("val/accuracy") && ++validations == 4) ctx.requestStop();
    });
    auto r = runFinetuning(*project_, o, ctx);
    VERIFY_OK(r);
    QCOMPARE(r->status, std::string("stopped"));
    QCOMPARE(r->epochs, 4);
    QVERIFY(r->bestEpoch >= 0 && r->bestEpoch <= 4);
    QVERIFY2(r->test.accuracy >= 0.8, std::to_string(r->test.accuracy).c_str());
    auto run = findRun(project_->db(), "stopped");
    QCOMPARE(run->status, std::string("stopped"));
    QVERIFY(latestCheckpoint(project_->db(), run->id));
    QVERIFY(!storedResult(*project_, "stopped"));  // not a point of the results table
    // The kept weights are the ones scored: predictions on the test split agree.
    JobContext predictCtx;
    VERIFY_OK(predictWithRun(*project_, "stopped", false, predictCtx));
    auto d = prepareFinetuneData(project_->db(), o);
    auto preds = loadPredictions(project_->db(), run->id);
    auto head = loadFinetuneHead(project_->db(), run->id);
    std::map<int64_t, std::string> predicted;
    for (const auto& p : preds) predicted[p.productId] = p.label;
    int right = 0;
    for (size_t i = 0; i < d->items.rowIds.size(); ++i) {
      int64_t id = d->items.rowIds[i];
      if (!std::binary_search(d->split.testIds.begin(), d->split.testIds.end(), id)) continue;
      right += predicted[id] == d->items.classNames[static_cast<size_t>(d->items.labels[i])];
    }
    QCOMPARE(right / 48.0, r->test.accuracy);
  }

  void theFineTunedRunEmbedsAndPredicts() {
    JobContext ctx;
    if (!findRun(project_->db(), "full")) VERIFY_OK(runFinetuning(*project_, options("full", FinetuneMode::Full), ctx));
    auto embedded = computeEmbeddings(*project_, "full", ctx);
    VERIFY_OK(embedded);
    QCOMPARE(embedded->products, int64_t{246});
    auto count = predictWithRun(*project_, "full", false, ctx);
    VERIFY_OK(count);
    QCOMPARE(*count, int64_t{246});
    int64_t runId = findRun(project_->db(), "full")->id;
    for (const auto& p : loadPredictions(project_->db(), runId)) {
      QVERIFY(p.confidence > 0 && p.confidence <= 1);
    }
    auto unlabelled = predictWithRun(*project_, "full", true, ctx);
    VERIFY_OK(unlabelled);
    QCOMPARE(*unlabelled, int64_t{6});
    auto preds = loadPredictions(project_->db(), runId);
    QCOMPARE(preds.size(), size_t{6});
    std::set<std::string> labels;
    for (const auto& p : preds) labels.insert(p.label);
    QVERIFY2(labels.size() >= 5, "one unlabelled product of each class, mostly told apart");
    auto with = runsWithPredictions(project_->db());
    QVERIFY(std::find(with.begin(), with.end(), std::make_pair(std::string("full"), std::string(kLabel))) !=
            with.end());
    // A pretraining run is no classifier.
    QVERIFY(!predictWithRun(*project_, "base", false, ctx).ok());
  }

  void labelEfficiencyComputesAndStoresEveryPoint() {
    EfficiencyOptions o;
    o.baseRun = "base";
    o.label = kLabel;
    o.fractions = {0.25, 1};
    o.finetune = options("", FinetuneMode::Full);
    o.finetune.maxEpochs = 5;
    JobContext ctx;
    int64_t lastDone = -1;
    bool monotone = true;
    ctx.setProgressInterval(std::chrono::milliseconds(0));
    ctx.setProgressSink([&](int64_t done, int64_t, const std::string&) {
      monotone &= done >= lastDone;
      lastDone = done;
    });
    auto r = runLabelEfficiency(*project_, o, ctx);
    VERIFY_OK(r);
    QCOMPARE(r->status, std::string("finished"));
    QCOMPARE(r->points.size(), size_t{8});
    QVERIFY(monotone);
    for (const auto& m : efficiencyMethods()) {
      for (double f : o.fractions) {
        auto* p = r->find(m, f);
        QVERIFY2(p, (m + " " + std::to_string(f)).c_str());
        QVERIFY2(p->accuracy > 0.5, (m + " " + std::to_string(p->accuracy)).c_str());
      }
    }
    QVERIFY(findRun(project_->db(), "base-ft-full-category-2-25pct"));
    QVERIFY(findRun(project_->db(), "scratch-full-category-2-100pct"));
    std::set<std::string> methods;
    for (const auto& e : listEvalResults(project_->db(), kLabel)) methods.insert(e.subject + "/" + e.method);
    QVERIFY(methods.count("tf-idf/probe"));
    QVERIFY(methods.count("base/probe"));
    QVERIFY(methods.count("base-ft-full-category-2-25pct/finetune-full"));
    QVERIFY(methods.count("scratch-full-category-2-25pct/scratch-full"));
    // Run again: its fine-tuning runs are replaced, not refused.
    o.fractions = {1};
    VERIFY_OK(runLabelEfficiency(*project_, o, ctx));
    // A stop before it starts: nothing computed, status stopped.
    JobContext stopped;
    stopped.requestStop();
    auto none = runLabelEfficiency(*project_, o, stopped);
    VERIFY_OK(none);
    QCOMPARE(none->status, std::string("stopped"));
    QVERIFY(none->points.empty());
  }

  void cleanupTestCase() { project_.reset(); }
};

QTEST_GUILESS_MAIN(FinetuneTest)
#include "test_finetune.moc"
