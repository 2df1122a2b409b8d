// Evaluation by labels: labels named as users name them, the leak guard, and
// neighbour scores computed by hand; plus the TF-IDF baseline end to end on a
// catalog whose titles give the label away.
#include <QtTest>

#include "store/label_choices.h"

#include "catalog/catalog_import.h"
#include "eval/label_field.h"
#include "eval/neighbour_eval.h"
#include "test_support.h"

using namespace pl;

namespace {

// Department > type written as two columns; the title names the type.
std::unique_ptr<Project> labelledProject(const QTemporaryDir& dir) {
  auto p = test::newProject(dir);
  QByteArray csv = "id,title,dept,type,brand,colour\n";
  const char* types[] = {"boot", "scarf", "kettle"};
  const char* depts[] = {"Shoes", "Apparel", "Home"};
  const char* colours[] = {"red", "blue", "green", "black"};
  for (int i = 0; i < 60; ++i) {
    int t = i % 3;
    csv += QString("%1,%2 %3 model %4,%5,%6,Brand%7,%8\n")
               .arg(i)
               .arg(colours[i % 4], types[t])
               .arg(i)
               .arg(depts[t], types[t])
               .arg(i % 5)
               .arg(colours[i % 4])
               .toUtf8();
  }
  ImportOptions o;
  o.catalogPath = test::writeFile(dir, "c.csv", csv);
  o.mapSpecs = {"category=dept>type"};
  JobContext ctx;
  auto r = importCatalog(*p, o, ctx);
  if (!r) qFatal("%s", r.error().message.c_str());
  return p;
}

}  // namespace

class NeighbourEvalTest : public QObject {
  Q_OBJECT

 private slots:
  void labelsResolveByLevelByMappedColumnAndByAttribute() {
    QTemporaryDir dir;
    auto p = labelledProject(dir);
    auto level2 = resolveLabelField(p->db(), "type");  // the column mapped to category level 2
    QVERIFY2(level2, level2 ? "" : level2.error().message.c_str());
    QCOMPARE(level2->field.kind, ProductField::Kind::CategoryLevel);
    QCOMPARE(level2->field.level, 2);
    QCOMPARE(resolveLabelField(p->db(), "category:1")->field.level, 1);
    // "category" is the whole path "dept > type", a label of its own.
    auto path = resolveLabelField(p->db(), "category");
    QCOMPARE(path->field.level, 0);
    QCOMPARE(path->field.label(), std::string("Category path"));
    QCOMPARE(resolveLabelField(p->db(), "category:path")->field.level, 0);
    const std::vector<std::string> values = loadFieldValues(p->db(), path->field, {1});
    QVERIFY2(values[0].find(" > ") != std::string::npos, values[0].c_str());
    QCOMPARE(categoryLevel("A > B > C", 0), std::string("A > B > C"));
    // The label chooser offers it after the levels.
    auto choices = listLabelChoices(p->db());
    QVERIFY(choices.size() >= 3);
    QCOMPARE(choices[2].name, std::string("category"));
    QCOMPARE(choices[2].splitKey, std::string("Category path"));
    QCOMPARE(resolveLabelField(p->db(), "colour")->field.kind, ProductField::Kind::Attribute);
    QCOMPARE(resolveLabelField(p->db(), "brand")->field.kind, ProductField::Kind::Brand);
    auto missing = resolveLabelField(p->db(), "size");
    QVERIFY(!missing);
    QVERIFY(missing.error().message.find("colour") != std::string::npos);  // lists what exists
    QVERIFY(!resolveLabelField(p->db(), "category:3"));
    QVERIFY(!resolveLabelField(p->db(), "category:x"));
    QVERIFY(!resolveLabelField(p->db(), "category:99999999999"));
  }

  void theLeakGuardRefusesLabelsTheRunSaw() {
    QTemporaryDir dir;
    auto p = labelledProject(dir);
    auto type = *resolveLabelField(p->db(), "type");
    auto colour = *resolveLabelField(p->db(), "colour");
    RunConfig c;
    c.inputs = {"title"};
    QVERIFY(checkNoLabelLeak(c, type, "r"));
    c.inputs = {"title", "category"};
    auto leak = checkNoLabelLeak(c, type, "r");
    QVERIFY(!leak);
    QVERIFY(leak.error().message.find("used category as an input") != std::string::npos);
    c.inputs = {"title", "colour"};
    c.objectives = {{"attr", 1.0}};
    QVERIFY(!checkNoLabelLeak(c, colour, "r"));
    QVERIFY(checkNoLabelLeak(c, type, "r"));
  }

  void neighbourScoresMatchHandCounts() {
    // Item 0 (label 0): neighbours 1 (0), 2 (1) -> vote tie, 1 is closer: correct; precision 1/2.
    // Item 1 (label 0): neighbours 2 (1), 3 (1) -> wrong; precision 0.
    // Item 2 (label 1): neighbours 3 (1), -1   -> correct; precision 1/2.
    // Item 3 (label 1): neighbours 2 (1), 0 (0) -> tie, 2 closer: correct; precision 1/2.
    std::vector<int32_t> labels{0, 0, 1, 1};
    std::vector<int32_t> indices{1, 2, 2, 3, 3, -1, 2, 0};
    std::vector<float> sims{0.9f, 0.5f, 0.8f, 0.7f, 0.9f, 0.f, 0.9f, 0.1f};
    auto s = scoreNeighbourLists(labels, 2, indices, sims);
    QCOMPARE(s.items, int64_t{4});
    QCOMPARE(s.knnAccuracy, 0.75);
    QCOMPARE(s.precisionAtK, (0.5 + 0 + 0.5 + 0.5) / 4);
  }

  void tfidfBaselineFindsALabelTheTitlesName() {
    QTemporaryDir dir;
    auto p = labelledProject(dir);
    JobContext ctx;
    auto s = evaluateTfidfNeighbours(*p, {"title"}, "type", 5, 0, ctx);
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(s->items, int64_t{60});
    QCOMPARE(s->classes, 3);
    QCOMPARE(s->knnAccuracy, 1.0);
    auto lsa = evaluateTfidfNeighbours(*p, {"title"}, "type", 5, 8, ctx);
    QVERIFY(lsa);
    QVERIFY(lsa->knnAccuracy > 0.9);
  }
};

QTEST_APPLESS_MAIN(NeighbourEvalTest)
#include "test_neighbour_eval.moc"
