// The Explore page on a toy project with a trained run: it offers to compute
// the missing embeddings, computes a PCA map, selects a point (in code and
// by a mouse click) and lists its k nearest neighbours in the embedding
// space, highlighted on the map; colours by category with a legend that
// counts right; isolates the selection and shows all again; searches by
// meaning; exports the coordinates.

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

#include "store/project.h"
#include "store/product_queries.h"
#include "store/run_store.h"
#include "projection/projection.h"
#include "tests/ui/pretrain_fixture.h"
#include "tests/ui/ui_fixture.h"
#include "train/pretrain_job.h"
#include "ui/explore/bought_together_panel.h"
#include "ui/explore/colour_legend.h"
#include "ui/explore/explore_page.h"
#include "ui/explore/explore_run_bar.h"
#include "ui/explore/map_view.h"
#include "ui/explore/neighbours_panel.h"
#include "ui/job_runner.h"

using namespace pl::ui;

namespace {

constexpr int kProducts = 240;

/// Level 1 of the toy catalog's categories, counted the way the generator assigns them.
std::map<QString, int64_t> expectedCategoryCounts() {
  const QStringList level1 = {"Apparel", "Footwear", "Apparel", "Home", "Bags", "Accessories"};
  std::map<QString, int64_t> counts;
  for (int i = 0; i < kProducts; ++i) ++counts[level1[(i * 7 + i / 3) % 6]];
  return counts;
}

}  // namespace

class ExplorePageTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(dir_.isValid());
    path_ = test::makeToyProject(dir_.path(), /*baskets=*/true);
    QVERIFY(!path_.isEmpty());
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    pl::PretrainOptions options;
    options.runName = "toy";
    options.config = pl::test::tinyTransformerConfig(40, 1000);
    pl::JobContext context;
    auto report = pl::runPretraining(**project, options, context);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
    auto run = pl::findRun((*project)->db(), "toy");
    QVERIFY(run && pl::latestCheckpoint((*project)->db(), run->id));
  }

  void offersEmbeddingsThenMapsSelectsAndShowsNeighbours() {
    auto opened = pl::Project::open(path_.toStdString());
    QVERIFY(opened.ok());
    std::unique_ptr<pl::Project> project = std::move(*opened);
    ExplorePage page;
    page.resize(1400, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setProject(project.get());

    // No embeddings yet: the page says so and offers to compute them.
    QVERIFY(page.placeholder()->isVisible());
    QVERIFY(page.placeholder()->text().contains(QStringLiteral("no embeddings")));
    QSignalSpy opened2(&page, &ExplorePage::runOpened);
    page.computeEmbeddings();
    QVERIFY(page.isBusy());
    QVERIFY(opened2.wait(60000));
    QTRY_VERIFY(!page.isBusy());
    QVERIFY(page.placeholder()->text().contains(QStringLiteral("No map")));

    // A PCA map, stored and shown.
    page.runBar()->setMethod(pl::ProjectionMethod::Pca);
    QSignalSpy shown(&page, &ExplorePage::mapShown);
    page.computeMap();
    QVERIFY(shown.wait(60000));
    QTRY_VERIFY(!page.isBusy());
    QVERIFY(page.hasMap());
    QCOMPARE(page.map()->pointCount(), int64_t(kProducts));
    test::maybeGrab(page, QStringLiteral("explore_pca.png"));

    // Select in code: k neighbours, itself excluded, best first, highlighted.
    const int32_t chosen = 17;
    page.selectPoint(chosen);
    const auto& entries = page.neighbours()->entries();
    QCOMPARE(int(entries.size()), page.neighbours()->k());
    QCOMPARE(page.neighbours()->list()->count(), page.neighbours()->k());
    for (size_t i = 0; i < entries.size(); ++i) {
      QVERIFY(entries[i].rowId != page.rowIdOfPoint(chosen));
      if (i > 0) QVERIFY(entries[i - 1].similarity >= entries[i].similarity);
    }
    QCOMPARE(page.neighbourPoints().size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      QCOMPARE(page.rowIdOfPoint(page.neighbourPoints()[i]), entries[i].rowId);
    }
    QCOMPARE(page.map()->highlights()->neighbours(), page.neighbourPoints());
    QCOMPARE(page.map()->highlights()->focus(), chosen);

    // Bought together: the toy baskets hold x, x+6, x+12, x+18 (mod 240),
    // so what goes with product 0 (in basket 0) is a multiple of six away,
    // and says so; the most bought fill the rest.
    auto* bought = page.boughtTogether();
    QVERIFY(bought->isVisible());
    auto zero = project->db().prepare("SELECT id FROM products WHERE ext_id = '0'");
    QVERIFY(zero.step());
    page.selectPoint(page.pointOfRowId(zero.int64(0)));
    QCOMPARE(int(bought->items().size()), BoughtTogetherPanel::kItems);
    QCOMPARE(bought->list()->count(), BoughtTogetherPanel::kItems);
    int together = 0;
    for (const auto& item : bought->items()) {
      if (item.reason != pl::RecommendationReason::BoughtTogether) {
        QCOMPARE(item.reason, pl::RecommendationReason::Popular);
        continue;
      }
      QCOMPARE(together, int(&item - bought->items().data()));  // co-purchases come first
      ++together;
      const int id = QString::fromStdString(pl::loadProductRows(project->db(), {item.product}).front().id).toInt();
      QCOMPARE(id % 6, 0);
    }
    QVERIFY(together >= 3);
    QVERIFY(bought->list()->item(0)->text().contains(QStringLiteral("bought together")));
    test::maybeGrab(page, QStringLiteral("explore_bought_together.png"));
    const int64_t boughtFirst = bought->items().front().product;
    emit bought->list()->itemClicked(bought->list()->item(0));  // selects it on the map
    QCOMPARE(page.rowIdOfPoint(page.focusPoint()), boughtFirst);
    page.selectPoint(chosen);

    // Clicking a neighbour in the list moves the selection to it.
    const int64_t second = entries[1].rowId;
    page.neighbours()->list()->setCurrentRow(1);
    emit page.neighbours()->list()->itemClicked(page.neighbours()->list()->item(1));
    QCOMPARE(page.rowIdOfPoint(page.focusPoint()), second);

    // A mouse click on a point selects it (or one drawn on the same pixel).
    const int32_t target = 101;
    page.map()->resetView();
    page.map()->replot(QCustomPlot::rpImmediateRefresh);
    const QPoint at = page.map()->pixelOf(target).toPoint();
    QTest::mouseClick(page.map(), Qt::LeftButton, Qt::NoModifier, at);
    QVERIFY(page.focusPoint() >= 0);
    QVERIFY(QLineF(page.map()->pixelOf(page.focusPoint()), at).length() <= 1.5);
    QCOMPARE(int(page.neighbours()->entries().size()), page.neighbours()->k());

    // Isolate shows the selection and its neighbours only; Show all restores.
    page.isolateSelection();
    const auto& hidden = page.map()->cloud()->hidden();
    QCOMPARE(std::count(hidden.begin(), hidden.end(), uint8_t(0)), 1 + page.neighbours()->k());
    QCOMPARE(hidden[page.focusPoint()], uint8_t(0));
    page.showAll();
    QVERIFY(page.map()->cloud()->hidden().empty());

    // Esc-like clear, then colour by category level 1: legend counts match.
    page.clearSelection();
    const int level1 = page.colourCombo()->findText(QStringLiteral("Category level 1"));
    QVERIFY(level1 > 0);
    page.colourCombo()->setCurrentIndex(level1);
    QTRY_VERIFY(!page.isColouring());
    QTRY_VERIFY(!page.colours().legend.empty());
    const auto expected = expectedCategoryCounts();
    QCOMPARE(page.colours().legend.size(), expected.size());
    for (const auto& entry : page.colours().legend) {
      QVERIFY2(expected.count(entry.label), qPrintable(entry.label));
      QCOMPARE(entry.count, expected.at(entry.label));
    }
    QCOMPARE(page.legend()->list()->count(), int(expected.size()));
    QVERIFY(page.legend()->entryText(0).startsWith(page.colours().legend[0].label));
    test::maybeGrab(page, QStringLiteral("explore_coloured.png"));

    // Search by meaning: the typed title's product comes first.
    auto rows = pl::loadProductRows(project->db(), {page.rowIdOfPoint(42)});
    const QString title = QString::fromStdString(rows.front().title);
    page.searchEdit()->setText(title);
    page.searchByMeaning();
    QTRY_VERIFY_WITH_TIMEOUT(!page.neighbours()->entries().empty(), 30000);
    QCOMPARE(page.neighbours()->entries().front().title, title);
    QVERIFY(!page.neighbourPoints().empty());

    // The coordinates as CSV: a header and one line per point.
    const QString csv = QDir(dir_.path()).filePath(QStringLiteral("map.csv"));
    QVERIFY(page.exportCoordinates(csv));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), qsizetype(kProducts + 1));
    page.setProject(nullptr);
  }

  void partialMapsAnimateAndStopKeepsTheStoredMap() {
    auto opened = pl::Project::open(path_.toStdString());
    QVERIFY(opened.ok());
    ExplorePage page;
    page.resize(1200, 800);
    QSignalSpy runOpened(&page, &ExplorePage::runOpened);
    page.setProject(opened->get());
    QVERIFY(runOpened.wait(30000));
    QTRY_VERIFY(!page.isBusy());
    const std::vector<float> pca = *page.map()->cloud()->points();

    // t-SNE sends snapshots: the map changes before the job ends.
    page.runBar()->setMethod(pl::ProjectionMethod::Tsne);
    QSignalSpy shown(&page, &ExplorePage::mapShown);
    QSignalSpy finished(page.jobs(), &JobRunner::finished);
    page.computeMap();
    QVERIFY(finished.wait(120000));
    QVERIFY2(shown.count() >= 2, "no partial map before the final one");
    QVERIFY(*page.map()->cloud()->points() != pca);
    auto stored = pl::listProjections((*opened)->db(), pl::findRun((*opened)->db(), "toy")->id);
    QCOMPARE(stored.size(), size_t(2));

    // A stopped UMAP stores nothing and brings the shown map back.
    const std::vector<float> tsne = *page.map()->cloud()->points();
    page.runBar()->setMethod(pl::ProjectionMethod::Umap);
    page.computeMap();
    page.runBar()->stopButton()->click();
    QVERIFY(finished.wait(60000));
    QCOMPARE(*page.map()->cloud()->points(), tsne);
    stored = pl::listProjections((*opened)->db(), pl::findRun((*opened)->db(), "toy")->id);
    QCOMPARE(stored.size(), size_t(2));
    page.setProject(nullptr);
  }

  void aStoredMapShowsAtOnce() {
    auto opened = pl::Project::open(path_.toStdString());
    QVERIFY(opened.ok());
    ExplorePage page;
    page.resize(1200, 800);
    QSignalSpy shown(&page, &ExplorePage::mapShown);
    page.setProject(opened->get());  // earlier tests stored embeddings and maps
    QVERIFY(shown.wait(30000));
    QCOMPARE(page.map()->pointCount(), int64_t(kProducts));
    page.setProject(nullptr);
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(ExplorePageTest)
#include "test_explore_page.moc"
