// Filters that choose a labelled subset ("brand = Acme", "articleType =
// Tees"), the label choices and stored split the Fine-tune page shows, and
// the predictions CSV (finetune/prediction_csv.h, RFC 4180 quoting) read
// back field by field.

#include <QtTest>

#include "catalog/catalog_import.h"
#include "eval/eval_results.h"
#include "eval/label_field.h"
#include "eval/label_split.h"
#include "eval/neighbour_eval.h"
#include "finetune/prediction_csv.h"
#include "store/label_choices.h"
#include "store/product_filter.h"
#include "store/run_store.h"
#include "test_support.h"

using namespace pl;

namespace {

// RFC 4180 reader for the round trip: quoted fields, doubled quotes, line breaks inside quotes.
std::vector<std::vector<std::string>> readCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, wasQuoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += text[++i];
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = wasQuoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (!rows.back().empty() || !field.empty())
    rows.back().push_back(field);
  else
    rows.pop_back();
  (void)wasQuoted;
  return rows;
}

}  // namespace

class TestProductFilter : public QObject {
  Q_OBJECT

  std::unique_ptr<Project> project(const QTemporaryDir& dir) {
    auto csv = test::writeFile(dir, "c.csv",
                               "id,title,brand,dept,type,colour\n"
                               "a,Blue Shirt,Acme,Apparel,Tees,red\n"
                               "b,\"Boot, leather\",Zeta,Footwear,Boots,blue\n"
                               "c,Red shirt 50%,acme,Apparel,Tees,Red\n"
                               "d,\"12\"\" pizza\",Dune,Home,Kitchen,\n");
    auto p = test::newProject(dir);
    ImportOptions options;
    options.catalogPath = csv;
    options.mapSpecs = {"category=dept>type"};
    JobContext context;
    auto report = importCatalog(*p, options, context);
    if (!report) qFatal("import failed: %s", report.error().message.c_str());
    return p;
  }

  std::vector<int64_t> ids(Database& db, const std::string& text) {
    auto filter = parseProductFilter(text);
    if (!filter) qFatal("%s", filter.error().message.c_str());
    auto found = findProductsMatching(db, *filter);
    if (!found) qFatal("%s", found.error().message.c_str());
    return *found;
  }

 private slots:
  void parsesTheThreeOperators() {
    auto f = parseProductFilter("title contains  shirt ");
    QVERIFY(f.ok());
    QCOMPARE(f->field, std::string("title"));
    QVERIFY(f->op == ProductFilter::Op::Contains);
    QCOMPARE(f->value, std::string("shirt"));
    f = parseProductFilter("brand = Acme");
    QVERIFY(f.ok() && f->op == ProductFilter::Op::Equals && f->value == "Acme");
    f = parseProductFilter("category:2 starts with Te");
    QVERIFY(f.ok() && f->op == ProductFilter::Op::StartsWith && f->field == "category:2");
    QCOMPARE(f->describe(), std::string("category:2 starts with Te"));
    // The first operator wins: the text may hold another.
    f = parseProductFilter("title contains a = b");
    QVERIFY(f.ok() && f->op == ProductFilter::Op::Contains && f->value == "a = b");
    QVERIFY(!parseProductFilter("brand Acme").ok());
    QVERIFY(!parseProductFilter("= Acme").ok());
    QVERIFY(!parseProductFilter("brand =").ok());
  }

  void matchesCanonicalFieldsIgnoringCase() {
    QTemporaryDir dir;
    auto p = project(dir);
    QCOMPARE(ids(p->db(), "title contains SHIRT"), (std::vector<int64_t>{1, 3}));
    QCOMPARE(ids(p->db(), "brand = acme"), (std::vector<int64_t>{1, 3}));
    QCOMPARE(ids(p->db(), "id = b"), (std::vector<int64_t>{2}));
    QCOMPARE(ids(p->db(), "category starts with apparel"), (std::vector<int64_t>{1, 3}));
    // LIKE's wildcards in the text are literal.
    QCOMPARE(ids(p->db(), "title contains 50%"), (std::vector<int64_t>{3}));
    QCOMPARE(ids(p->db(), "title contains _"), (std::vector<int64_t>{}));
  }

  void matchesCategoryLevelsByNumberOrColumnAndAttributes() {
    QTemporaryDir dir;
    auto p = project(dir);
    QCOMPARE(ids(p->db(), "category:2 = tees"), (std::vector<int64_t>{1, 3}));
    QCOMPARE(ids(p->db(), "type = Boots"), (std::vector<int64_t>{2}));
    QCOMPARE(ids(p->db(), "dept = Home"), (std::vector<int64_t>{4}));
    QCOMPARE(ids(p->db(), "colour = red"), (std::vector<int64_t>{1, 3}));
    ProductFilter unknown{"size", ProductFilter::Op::Equals, "M"};
    auto failed = findProductsMatching(p->db(), unknown);
    QVERIFY(!failed.ok());
    QVERIFY(QString::fromStdString(failed.error().message).contains("colour"));
    QVERIFY(!findProductsMatching(p->db(), {"category:9", ProductFilter::Op::Equals, "x"}).ok());
    QVERIFY(!findProductsMatching(p->db(), {"title", ProductFilter::Op::Contains, ""}).ok());
  }

  void labelChoicesNameLevelsByTheirColumns() {
    QTemporaryDir dir;
    auto p = project(dir);
    auto choices = listLabelChoices(p->db());
    QStringList names, displays;
    for (const auto& c : choices) {
      names << QString::fromStdString(c.name);
      displays << QString::fromStdString(c.display);
    }
    // "category", the whole path, is a label of its own after its levels.
    QCOMPARE(names, (QStringList{"dept", "type", "category", "brand", "colour"}));
    QCOMPARE(displays.first(), QStringLiteral("dept (category level 1)"));
    // Every choice resolves as the evaluation would.
    for (const auto& c : choices) QVERIFY2(resolveLabelField(p->db(), c.name).ok(), c.name.c_str());
    QCOMPARE(choices[1].splitKey, std::string("Category level 2"));
  }

  void storedSplitIsFoundOnceDrawn() {
    QTemporaryDir dir;
    auto p = project(dir);
    QVERIFY(!findStoredLabelSplit(p->db(), "Category level 1"));
    auto label = resolveLabelField(p->db(), "dept");
    QVERIFY(label.ok());
    auto items = loadLabelledItems(p->db(), *label);
    auto split = ensureLabelSplit(p->db(), label->field.label(), items, 0.5, 7);
    QVERIFY(split.ok());
    auto stored = findStoredLabelSplit(p->db(), "Category level 1");
    QVERIFY(stored);
    QCOMPARE(stored->testItems, static_cast<int64_t>(split->testIds.size()));
    QCOMPARE(stored->labelledItems, int64_t(4));
    QCOMPARE(stored->seed, uint64_t(7));
  }

  void predictionsCsvRoundTrips() {
    QTemporaryDir dir;
    auto p = project(dir);
    auto run = createRun(p->db(), "ft", "finetune", "{}");
    QVERIFY(run.ok());
    savePredictions(
        p->db(), *run, "type",
        {{1, "Tees", 0.93f}, {2, "Boots, \"tall\"", 0.5f}, {4, "Kitchen\nware", 0.125f}});
    const std::string path = dir.filePath("p.csv").toStdString();
    auto written = exportPredictionsCsv(p->db(), *run, path);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    QCOMPARE(*written, int64_t(3));
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto rows = readCsv(file.readAll().toStdString());
    QCOMPARE(rows.size(), size_t(4));
    QCOMPARE(rows[0], (std::vector<std::string>{"id", "title", "predicted_label", "confidence"}));
    QCOMPARE(rows[1], (std::vector<std::string>{"a", "Blue Shirt", "Tees", "0.93"}));
    QCOMPARE(rows[2], (std::vector<std::string>{"b", "Boot, leather", "Boots, \"tall\"", "0.5"}));
    QCOMPARE(rows[3], (std::vector<std::string>{"d", "12\" pizza", "Kitchen\nware", "0.125"}));
  }
};

QTEST_GUILESS_MAIN(TestProductFilter)
#include "test_product_filter.moc"
