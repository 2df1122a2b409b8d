// Trains tiny runs on a synthetic catalog: each objective learns, runs are
// reproducible, NaN stops cleanly, checkpoints are verified by hash.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "embed/embed_job.h"
#include "embed/run_model.h"
#include "embed/whitening.h"

#include <QtTest>
#include <thread>

#include "catalog/catalog_import.h"
#include "common/atomic_file.h"
#include "store/run_store.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train/pretrain_job.h"

using namespace pl;

namespace {

RunConfig tinyConfig() { return test::tinyTransformerConfig(60, 20); }

std::unique_ptr<Project> toyProject(const QTemporaryDir& dir, bool baskets = false) {
  auto p = test::newProject(dir);
  ImportOptions o;
  o.catalogPath = test::writeFile(dir, "toy.csv", test::toyCatalogCsv(240));
  if (baskets) o.basketsPath = test::writeFile(dir, "baskets.csv", test::toyBasketsCsv(240, 120));
  JobContext ctx;
  auto r = importCatalog(*p, o, ctx);
  if (!r) qFatal("%s", r.error().message.c_str());
  return p;
}

Result<PretrainReport> train(Project& p, const std::string& name, const RunConfig& c) {
  PretrainOptions o;
  o.runName = name;
  o.config = c;
  JobContext ctx;
  return runPretraining(p, o, ctx);
}

double meanOf(const std::vector<MetricPoint>& pts, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += pts[i].value;
  return s / double(to - from);
}

void expectFalls(Project& p, const std::string& run, const std::string& metric) {
  auto id = findRun(p.db(), run)->id;
  auto pts = loadMetrics(p.db(), id, metric);
  QVERIFY2(pts.size() >= 40, metric.c_str());
  double first = meanOf(pts, 0, 10), last = meanOf(pts, pts.size() - 10, pts.size());
  QVERIFY2(last < 0.8 * first, (metric + ": " + std::to_string(first) + " -> " + std::to_string(last)).c_str());
}

}  // namespace

class TestPretrainJob : public QObject {
  Q_OBJECT
 private slots:
  void mlmLossFalls() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.objectives = {{"mlm", 1.0}};
    c.maxSteps = 150;  // from uniform over the vocabulary to the few words that fit
    auto r = train(*p, "mlm", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->steps, int64_t(150));
    QCOMPARE(r->status, std::string("finished"));
    expectFalls(*p, "mlm", "loss/mlm");
    auto run = findRun(p->db(), "mlm");
    QCOMPARE(run->status, std::string("finished"));
    QVERIFY(!loadMetrics(p->db(), run->id, "val/mlm").empty());
  }
  void contrastiveLossFalls() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.objectives = {{"contrastive", 1.0}};
    QVERIFY(train(*p, "simcse", c).ok());
    expectFalls(*p, "simcse", "loss/contrastive");
  }
  void contrastiveWithDroppedWordsAndQueueFalls() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.objectives = {{"mlm", 1.0}, {"contrastive", 1.0}};
    // Mild: the toy titles are three words from small sets, so many are
    // duplicates once a word is gone and the task has a high floor.
    c.viewWordDrop = 0.1;
    // Full after two steps: a filling queue raises the loss's floor (more negatives).
    c.negativeQueue = 32;
    auto r = train(*p, "views", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    expectFalls(*p, "views", "loss/contrastive");
  }
  void contrastiveWithBothViewsDroppingWordsFalls() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.objectives = {{"contrastive", 1.0}};
    c.viewWordDrop = 0.1;
    c.firstViewWordDrop = 0.1;  // two different subsets of each title
    auto r = train(*p, "both", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    expectFalls(*p, "both", "loss/contrastive");
  }
  void neighbourPositivesTrainAfterTheBankFills() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.objectives = {{"neighbours", 1.0}};
    QVERIFY(!c.validate(false).ok());  // it pairs contrastive's views
    c.objectives = {{"contrastive", 1.0}, {"neighbours", 1.0}};
    c.viewWordDrop = 0.1;
    c.maxSteps = 80;
    QVERIFY(c.validate(false).ok());
    auto r = train(*p, "nnclr", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    auto id = findRun(p->db(), "nnclr")->id;
    auto contrastive = loadMetrics(p->db(), id, "loss/contrastive");
    auto neighbours = loadMetrics(p->db(), id, "loss/neighbours");
    // The bank needs four batches before neighbours are worth taking.
    QVERIFY(!neighbours.empty());
    QVERIFY(neighbours.front().step > contrastive.front().step);
    expectFalls(*p, "nnclr", "loss/neighbours");
  }
  void embedWhitensAndStoresTheTransform() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    for (bool whiten : {true, false}) {
      auto c = tinyConfig();
      c.maxSteps = 10;
      c.whiten = whiten;
      const std::string name = whiten ? "white" : "plain";
      QVERIFY(train(*p, name, c).ok());
      JobContext ctx;
      auto report = computeEmbeddings(*p, name, ctx);
      QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
      QCOMPARE(report->products, int64_t(240));
      const int64_t runId = findRun(p->db(), name)->id;
      auto blob = loadEmbeddingTransform(p->db(), runId);
      QCOMPARE(Whitening::deserialize(blob).defined(), whiten);
      // Stored vectors are unit length; whitened ones are centred as well.
      auto st = p->db().prepare("SELECT vector FROM embeddings WHERE run_id = ?");
      st.bind(1, runId);
      std::vector<torch::Tensor> rows;
      while (st.step()) {
        auto bytes = st.blob(0);
        rows.push_back(torch::from_blob(bytes.data(), {32}, torch::kFloat).clone());
      }
      auto all = torch::stack(rows);
      QVERIFY(torch::allclose(all.norm(2, 1), torch::ones({240}), 1e-4, 1e-4));
      const double meanNorm = all.mean(0).norm().item<double>();
      if (whiten) QVERIFY2(meanNorm < 0.2, qPrintable(QString::number(meanNorm)));
    }
  }
  void attrLossFalls() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.inputs = {"title", "brand", "category"};
    c.objectives = {{"attr", 1.0}};
    auto r = train(*p, "attr", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    expectFalls(*p, "attr", "loss/attr");
  }
  void copurchaseLossFalls() {
    QTemporaryDir dir;
    auto p = toyProject(dir, true);
    auto c = tinyConfig();
    c.objectives = {{"copurchase", 1.0}};
    c.maxSteps = 80;
    auto r = train(*p, "basket", c);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    expectFalls(*p, "basket", "loss/copurchase");
  }
  void sameSeedSameCurve() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.maxSteps = 25;
    QVERIFY(train(*p, "a", c).ok());
    QVERIFY(train(*p, "b", c).ok());
    c.seed = 7;
    QVERIFY(train(*p, "c", c).ok());
    auto a = loadMetrics(p->db(), findRun(p->db(), "a")->id, "loss");
    auto b = loadMetrics(p->db(), findRun(p->db(), "b")->id, "loss");
    auto other = loadMetrics(p->db(), findRun(p->db(), "c")->id, "loss");
    QCOMPARE(a.size(), size_t(25));
    for (size_t i = 0; i < a.size(); ++i) QCOMPARE(a[i].value, b[i].value);
    QVERIFY(a.back().value != other.back().value);
  }
  void duplicateRunNameIsRefused() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.maxSteps = 2;
    QVERIFY(train(*p, "x", c).ok());
    auto again = train(*p, "x", c);
    QVERIFY(!again.ok());
    QVERIFY(again.error().message.find("already exists") != std::string::npos);
  }
  void nanLossStopsAndKeepsLastCheckpoint() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.objectives = {{"mlm", 1.0}};
    c.checkpointEvery = 1;
    c.lr = 1e30;  // the weights blow up within a few steps
    c.warmupFraction = 0;
    c.clipNorm = 1e30;
    auto r = train(*p, "nan", c);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("the loss became") != std::string::npos, r.error().message.c_str());
    auto run = findRun(p->db(), "nan");
    QCOMPARE(run->status, std::string("failed"));
    auto ckpt = latestCheckpoint(p->db(), run->id);
    QVERIFY(ckpt.has_value());
    QVERIFY(QFile::exists(QString::fromStdString(ckpt->path)));
    QVERIFY(r.error().message.find(ckpt->path) != std::string::npos);
  }
  void damagedNewestCheckpointFallsBackToThePrevious() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.maxSteps = 10;
    c.checkpointEvery = 5;
    QVERIFY(train(*p, "r", c).ok());
    const int64_t id = findRun(p->db(), "r")->id;
    auto flipAByte = [](const std::string& path) {
      QFile f(QString::fromStdString(path));
      QVERIFY(f.open(QIODevice::ReadWrite));
      f.seek(f.size() / 2);
      char byte;
      f.getChar(&byte);
      f.seek(f.size() / 2);
      f.putChar(static_cast<char>(byte ^ 0x55));
    };
    auto resume = [&](std::vector<std::string>* warnings) {
      p->db().exec("UPDATE runs SET status = 'stopped'");
      PretrainOptions o;
      o.runName = "r";
      o.resume = true;
      JobContext ctx;
      ctx.setLogSink([warnings](LogLevel level, const std::string& m) {
        if (level == LogLevel::Warning && warnings) warnings->push_back(m);
      });
      return runPretraining(*p, o, ctx);
    };
    auto kept = runCheckpoints(p->db(), id);
    QCOMPARE(kept.size(), size_t(2));  // the newest and the one before it
    QCOMPARE(kept[0].step, int64_t(10));
    QCOMPARE(kept[1].step, int64_t(5));

    // The newest damaged: training goes on from step 5, says so, and saves
    // step 10 afresh over the damaged file.
    flipAByte(kept[0].path);
    std::vector<std::string> warnings;
    auto resumed = resume(&warnings);
    QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().message.c_str());
    QCOMPARE(resumed->steps, int64_t(10));
    QCOMPARE(warnings.size(), size_t(1));
    QVERIFY2(warnings[0].find("damaged") != std::string::npos && warnings[0].find("step 5") != std::string::npos,
             warnings[0].c_str());
    QCOMPARE(runCheckpoints(p->db(), id)[0].step, int64_t(10));
    auto clean = loadRunModel(*p, "r");  // the re-saved step 10 verifies: no warning
    QVERIFY2(clean.ok(), clean.ok() ? "" : clean.error().message.c_str());
    QVERIFY(clean->checkpointWarning.empty());

    // Both damaged: refused, with the newest one's reason.
    for (const auto& record : runCheckpoints(p->db(), id)) flipAByte(record.path);
    auto refused = resume(nullptr);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.find("damaged") != std::string::npos, refused.error().message.c_str());
  }
  void atomicWriteNeverLeavesAHalfFile() {
    QTemporaryDir dir;
    std::string path = dir.filePath("ckpt.pt").toStdString();
    QVERIFY(writeFileAtomically(path, "good checkpoint").ok());
    // A crash during a later write leaves at most a truncated temp file...
    test::writeFile(dir, "ckpt.pt.tmp", "trunc");
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("good checkpoint"));  // ...and never touches the good one
    f.close();
    QVERIFY(writeFileAtomically(path, "newer checkpoint").ok());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("newer checkpoint"));
    QVERIFY(!QFile::exists(dir.filePath("ckpt.pt.tmp")));
    auto fail = writeFileAtomically(dir.filePath("no/such/dir/x").toStdString(), "x");
    QVERIFY(!fail.ok());
  }
  void stopRequestSavesACheckpointAndResumeFinishes() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.maxSteps = 30;
    PretrainOptions o;
    o.runName = "s";
    o.config = c;
    JobContext ctx;
    ctx.setMetricsSink([&](int64_t step, const std::map<std::string, double>&) {
      if (step == 12) ctx.requestStop();
    });
    auto r = runPretraining(*p, o, ctx);
    QVERIFY(r.ok());
    QCOMPARE(r->status, std::string("stopped"));
    QCOMPARE(r->steps, int64_t(12));
    o.resume = true;
    JobContext ctx2;
    auto resumed = runPretraining(*p, o, ctx2);
    QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().message.c_str());
    QCOMPARE(resumed->steps, int64_t(30));
    QCOMPARE(findRun(p->db(), "s")->status, std::string("finished"));
    // The clock carried through the checkpoint: seconds, not garbage.
    QVERIFY2(resumed->seconds > r->seconds && resumed->seconds < r->seconds + 120,
             qPrintable(QString::number(resumed->seconds)));
  }
  void aRunStoppedBeforeItsFirstSaveResumesFromTheBeginning() {
    // What a kill before the tokenizer was stored leaves: the run recorded
    // (status created), a stray metric, no tokenizer, no checkpoint.
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.maxSteps = 10;
    auto id = createRun(p->db(), "early", "pretrain", c.toJson());
    QVERIFY(id.ok());
    appendMetrics(p->db(), *id, {{"loss", 7, 99.5, 1.0}});
    PretrainOptions o;
    o.runName = "early";
    o.resume = true;
    JobContext ctx;
    auto resumed = runPretraining(*p, o, ctx);
    QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().message.c_str());
    QCOMPARE(resumed->steps, int64_t(10));
    QCOMPARE(findRun(p->db(), "early")->status, std::string("finished"));
    auto losses = loadMetrics(p->db(), *id, "loss");
    QVERIFY(!losses.empty());
    for (const auto& point : losses) QVERIFY(point.value != 99.5);  // the stray point went
    // A run with checkpoints but no tokenizer is damaged, not restartable.
    auto lost = createRun(p->db(), "lost", "pretrain", c.toJson());
    QVERIFY(lost.ok());
    p->db().prepare("INSERT INTO checkpoints(run_id, step, path, sha256) VALUES (?, 5, 'x.pt', '')")
        .bind(1, *lost)
        .run();
    o.runName = "lost";
    auto refused = runPretraining(*p, o, ctx);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.find("tokenizer") != std::string::npos, refused.error().message.c_str());
  }
  void pausedTimeIsNotTrainingTime() {
    QTemporaryDir dir;
    auto p = toyProject(dir);
    auto c = tinyConfig();
    c.maxSteps = 12;
    PretrainOptions o;
    o.runName = "paused";
    o.config = c;
    JobContext ctx;
    ctx.setMetricsSink([&](int64_t step, const std::map<std::string, double>&) {
      if (step != 5) return;
      // Pause for 1.5 s from inside the job's own thread: the next step waits.
      ctx.setPaused(true);
      std::thread([&ctx] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        ctx.setPaused(false);
      }).detach();
    });
    auto started = std::chrono::steady_clock::now();
    auto r = runPretraining(*p, o, ctx);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    QVERIFY(r.ok());
    QVERIFY2(wall >= 1.5, qPrintable(QString::number(wall)));
    QVERIFY2(r->seconds < wall - 1.2, qPrintable(QString("%1 of %2").arg(r->seconds).arg(wall)));
  }
};

QTEST_APPLESS_MAIN(TestPretrainJob)
#include "test_pretrain_job.moc"
