// ProductTableModel pages from SQLite and ProductSearch filters in the
// background: the two things that keep a million-row table smooth.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "store/product_queries.h"
#include "store/project.h"
#include "tests/ui/ui_fixture.h"
#include "ui/product_search.h"
#include "ui/product_table_model.h"

using pl::ui::ProductSearch;
using pl::ui::ProductTableModel;

class ProductTableModelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    pl::ui::test::isolateSettings();
    QVERIFY(dir_.isValid());
    path_ = pl::ui::test::makeProject(dir_.path(), 1000);
    QVERIFY(!path_.isEmpty());
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY2(project, project ? "" : project.error().message.c_str());
    project_ = std::move(*project);
  }

  void showsEveryProductWithoutReadingAny() {
    ProductTableModel model;
    model.setRows(&project_->db(), pl::findProductRowIds(project_->db(), ""));
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.columnCount(), int(ProductTableModel::ColumnCount));
    QCOMPARE(model.pageLoads(), 0);
  }

  void readsOnePagePerQueryAndCachesIt() {
    ProductTableModel model;
    model.setRows(&project_->db(), pl::findProductRowIds(project_->db(), ""));
    for (int row = 0; row < ProductTableModel::kPageSize; ++row) {
      for (int column = 0; column < model.columnCount(); ++column) {
        model.data(model.index(row, column));
      }
    }
    QCOMPARE(model.pageLoads(), 1);  // 256 rows x 6 columns, one query
    QCOMPARE(model.data(model.index(999, ProductTableModel::IdColumn)).toString(),
             QStringLiteral("S999"));
    QCOMPARE(model.pageLoads(), 2);  // jumped to the end: only the last page read
    model.data(model.index(0, ProductTableModel::TitleColumn));
    QCOMPARE(model.pageLoads(), 2);  // back at the top: cached
  }

  void showsTheProductColumns() {
    ProductTableModel model;
    model.setRows(&project_->db(), pl::findProductRowIds(project_->db(), ""));
    auto cell = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
    QCOMPARE(cell(0, ProductTableModel::IdColumn), QStringLiteral("S0"));
    QCOMPARE(cell(0, ProductTableModel::TitleColumn), QStringLiteral("Blue shirt 0"));
    QCOMPARE(cell(1, ProductTableModel::BrandColumn), QStringLiteral("Zeta"));
    QVERIFY(cell(1, ProductTableModel::CategoryColumn).contains(QStringLiteral("Bottomwear")));
    QCOMPARE(cell(3, ProductTableModel::PriceColumn), QLocale().toString(13.5, 'f', 2));
    QCOMPARE(cell(0, ProductTableModel::ImageColumn), QStringLiteral("yes"));
    QCOMPARE(cell(2, ProductTableModel::ImageColumn), QStringLiteral("no"));  // file missing
    qint64 rowId = model.data(model.index(5, 0), ProductTableModel::RowIdRole).toLongLong();
    QCOMPARE(model.rowOf(rowId), 5);
  }

  void pageCacheStaysBounded() {
    // The same product repeated stands in for a big catalog: only the
    // number of rows matters to paging.
    int64_t first = pl::findProductRowIds(project_->db(), "").front();
    int pages = ProductTableModel::kCachedPages + 8;
    ProductTableModel model;
    model.setRows(&project_->db(),
                  std::vector<int64_t>(size_t(pages) * ProductTableModel::kPageSize, first));
    for (int p = 0; p < pages; ++p) model.data(model.index(p * ProductTableModel::kPageSize, 1));
    QCOMPARE(model.pageLoads(), pages);
    QCOMPARE(model.cachedPages(), int(ProductTableModel::kCachedPages));
    // The most recent pages survived, the oldest was evicted.
    model.data(model.index((pages - 1) * ProductTableModel::kPageSize, 1));
    QCOMPARE(model.pageLoads(), pages);
    model.data(model.index(0, 1));
    QCOMPARE(model.pageLoads(), pages + 1);
  }

  void searchIsDebouncedAndFilters() {
    ProductSearch search;
    search.setProjectPath(path_);
    QSignalSpy results(&search, &ProductSearch::resultsReady);
    for (const char* typed : {"b", "bl", "blu", "blue"}) search.setText(QString::fromLatin1(typed));
    QVERIFY(results.wait(5000));
    QCOMPARE(search.queriesRun(), 1);  // four keystrokes, one scan
    QCOMPARE(results.first().at(0).toString(), QStringLiteral("blue"));
    auto ids = results.first().at(1).value<std::vector<int64_t>>();
    QCOMPARE(int(ids.size()), 500);  // the even rows

    ProductTableModel model;
    model.setRows(&project_->db(), ids);
    QCOMPARE(model.data(model.index(1, ProductTableModel::TitleColumn)).toString(),
             QStringLiteral("Blue shirt 2"));
  }

  void searchMatchesBrandAndIdToo() {
    ProductSearch search;
    search.setProjectPath(path_);
    QSignalSpy results(&search, &ProductSearch::resultsReady);
    search.setText(QStringLiteral("zeta"));
    QVERIFY(results.wait(5000));
    QCOMPARE(int(results.takeFirst().at(1).value<std::vector<int64_t>>().size()), 500);
    search.setText(QStringLiteral("S99"));  // S99, S990..S999
    QVERIFY(results.wait(5000));
    QCOMPARE(int(results.takeFirst().at(1).value<std::vector<int64_t>>().size()), 11);
  }

  void searchOnMissingProjectReportsAnError() {
    ProductSearch search;
    search.setProjectPath(dir_.path() + QStringLiteral("/nope.plens"));
    QSignalSpy failed(&search, &ProductSearch::searchFailed);
    search.refresh();
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("nope.plens")));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
  std::unique_ptr<pl::Project> project_;
};

QTEST_MAIN(ProductTableModelTest)
#include "test_product_table_model.moc"
