// The main window opens a project, the Data page shows its products and the
// detail panel the selected product's picture; imports run in the
// background; the other pages are honest placeholders.

#include <QAbstractButton>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "store/project.h"
#include "tests/ui/ui_fixture.h"
#include "ui/data_page.h"
#include "ui/job_runner.h"
#include "ui/explore/explore_page.h"
#include "ui/export/export_page.h"
#include "ui/finetune/finetune_page.h"
#include "ui/main_window.h"
#include "ui/product_detail_panel.h"
#include "ui/product_table_model.h"
#include "ui/project_jobs.h"
#include "ui/project_summary_bar.h"
#include "ui/recent_projects.h"

using namespace pl::ui;

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    RecentProjects::clear();
    QVERIFY(dir_.isValid());
    path_ = test::makeProject(dir_.path(), 40);
    QVERIFY(!path_.isEmpty());
  }

  void opensAProjectAndShowsItsRows() {
    MainWindow window;
    window.resize(1200, 760);
    window.show();
    QSignalSpy shown(window.dataPage(), &DataPage::rowsShown);
    QSignalSpy counted(window.dataPage(), &DataPage::productCountChanged);
    QVERIFY(window.openProject(path_));
    QVERIFY(shown.wait(5000));
    QCOMPARE(window.dataPage()->table()->model()->rowCount(), 40);
    QVERIFY(counted.count() > 0 || counted.wait(5000));
    QCOMPARE(counted.last().at(0).toLongLong(), 40);
    QVERIFY(window.dataPage()->summary()->text().contains(QStringLiteral("40")));
    QCOMPARE(RecentProjects::load().value(0), QFileInfo(path_).absoluteFilePath());
    test::maybeGrab(window, QStringLiteral("ui-test-main-window.png"));
  }

  void detailPanelShowsTheImageEnlarged() {
    MainWindow window;
    window.show();
    QSignalSpy shown(window.dataPage(), &DataPage::rowsShown);
    QVERIFY(window.openProject(path_));
    QVERIFY(shown.wait(5000));
    // The first row is selected on open; it has the 28x28 PNG.
    ProductDetailPanel* detail = window.dataPage()->detailPanel();
    QVERIFY(detail->rowId() != 0);
    QCOMPARE(detail->titleLabel()->text(), QStringLiteral("Blue shirt 0"));
    QPixmap picture = detail->imageLabel()->pixmap();
    QVERIFY(!picture.isNull());
    QCOMPARE(picture.width(), ProductDetailPanel::kImageBox);  // 28 px x 8, crisp

    window.dataPage()->table()->selectRow(1);  // 64x48 colour PNG, x3
    QCOMPARE(detail->titleLabel()->text(), QStringLiteral("Red jeans 1"));
    QCOMPARE(detail->imageLabel()->pixmap().width(), 192);
    QImage image = detail->imageLabel()->pixmap().toImage();
    QCOMPARE(image.pixelColor(10, 10), QColor(30, 90, 200));

    window.dataPage()->table()->selectRow(2);  // names a file that is not there
    QVERIFY(detail->imageLabel()->pixmap().isNull());
    QVERIFY(detail->imageLabel()->text().contains(QStringLiteral("missing")));
  }

  void searchBoxFiltersTheTable() {
    MainWindow window;
    window.show();
    QSignalSpy shown(window.dataPage(), &DataPage::rowsShown);
    QVERIFY(window.openProject(path_));
    QVERIFY(shown.wait(5000));
    QTest::keyClicks(window.dataPage()->searchBox(), QStringLiteral("red jeans 3"));
    QVERIFY(shown.wait(5000));
    // "Red jeans 3", "Red jeans 31", "33", "35", "37", "39"
    QCOMPARE(window.dataPage()->table()->model()->rowCount(), 6);
    QCOMPARE(window.dataPage()->detailPanel()->titleLabel()->text(), QStringLiteral("Red jeans 3"));
  }

  void importRunsInTheBackgroundAndReloads() {
    QString empty = dir_.path() + QStringLiteral("/empty.plens");
    QVERIFY(pl::Project::open(empty.toStdString(), pl::OpenMode::CreateIfMissing));
    MainWindow window;
    window.show();
    QSignalSpy shown(window.dataPage(), &DataPage::rowsShown);
    QVERIFY(window.openProject(empty));
    QVERIFY(shown.wait(5000));
    QCOMPARE(window.dataPage()->table()->model()->rowCount(), 0);

    pl::ImportOptions options;
    options.catalogPath = test::writeCatalog(dir_.path() + QStringLiteral("/more"), 12).toStdString();
    bool ok = false;
    QVERIFY(startImport(*window.jobs(), empty, options,
                        [&](const pl::Result<pl::ImportReport>& report) {
                          ok = report.ok() && report->productsImported == 12;
                          window.dataPage()->reload();
                        }));
    QVERIFY(window.jobs()->isRunning());
    window.jobs()->waitForFinished();
    QVERIFY(ok);
    QVERIFY(shown.wait(5000));
    QCOMPARE(window.dataPage()->table()->model()->rowCount(), 12);
  }

  void everyPageIsReal() {
    MainWindow window;
    auto* pages = window.findChild<QStackedWidget*>();
    QVERIFY(pages);
    QCOMPARE(pages->count(), 5);
    // Each has its own tests (tests/ui/test_*_page.cpp).
    QCOMPARE(pages->widget(MainWindow::ExplorePage), window.explorePage());
    QCOMPARE(pages->widget(MainWindow::FineTunePage), window.finetunePage());
    QCOMPARE(pages->widget(MainWindow::ExportPage), window.exportPage());
  }

  void recentProjectsKeepTheLastEight() {
    RecentProjects::clear();
    for (int i = 0; i < 10; ++i) RecentProjects::add(QStringLiteral("/p/%1.plens").arg(i));
    RecentProjects::add(QStringLiteral("/p/3.plens"));
    QStringList recent = RecentProjects::load();
    QCOMPARE(recent.size(), RecentProjects::kMax);
    QCOMPARE(recent.first(), QStringLiteral("/p/3.plens"));
    QCOMPARE(recent.count(QStringLiteral("/p/3.plens")), 1);
    QCOMPARE(recent.at(1), QStringLiteral("/p/9.plens"));
    RecentProjects::clear();
  }

  void aReadOnlyProjectOpensWithABanner() {
    const QString copy = dir_.filePath(QStringLiteral("read-only.plens"));
    QVERIFY(QFile::copy(path_, copy));
    QVERIFY(QFile::setPermissions(copy, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    MainWindow window;
    window.resize(1200, 760);
    window.show();
    QSignalSpy shown(window.dataPage(), &DataPage::rowsShown);
    QVERIFY(window.openProject(copy));
    QVERIFY(window.project()->readOnly());
    QVERIFY(window.readOnlyBanner()->isVisible());
    QVERIFY(window.readOnlyBanner()->text().contains(QStringLiteral("marked read-only")));
    QVERIFY(window.windowTitle().contains(QStringLiteral("read-only")));
    QVERIFY(shown.wait(5000));  // its products are there to browse
    QCOMPARE(window.dataPage()->table()->model()->rowCount(), 40);
    test::maybeGrab(window, QStringLiteral("ui-test-read-only.png"));
    // A writable project hides the banner again.
    QVERIFY(window.openProject(path_));
    QVERIFY(!window.readOnlyBanner()->isVisible());
  }

  void openingAMissingProjectFailsWithoutCrashing() {
    MainWindow window;
    // The error box is modal; close it as soon as it appears.
    QTimer::singleShot(200, [] {
      if (QWidget* box = QApplication::activeModalWidget()) box->close();
    });
    QVERIFY(!window.openProject(dir_.path() + QStringLiteral("/nope.plens")));
    QVERIFY(window.project() == nullptr);
  }

  // Manual check on a big project (PL_BIG_PROJECT=/tmp/big1m.plens): the
  // event loop never stalls long while the table opens, jumps to the middle
  // and filters, because queries run off the GUI thread or a page at a time.
  void bigProjectStaysResponsive() {
    QString big = qEnvironmentVariable("PL_BIG_PROJECT");
    if (big.isEmpty()) QSKIP("set PL_BIG_PROJECT to a large .plens to measure responsiveness");
    MainWindow window;
    window.resize(1300, 800);
    window.show();
    QElapsedTimer sinceTick;
    qint64 worstGap = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&] {
      worstGap = std::max(worstGap, sinceTick.restart());
    });
    auto measure = [&](const char* what, auto&& action) {
      worstGap = 0;
      QElapsedTimer clock;
      clock.start();
      sinceTick.start();
      ticker.start(5);
      action();
      ticker.stop();
      qInfo("%s: %lld ms, longest event-loop stall %lld ms", what, clock.elapsed(), worstGap);
    };
    QSignalSpy shown(window.dataPage(), &DataPage::rowsShown);
    measure("open", [&] {
      QVERIFY(window.openProject(big));
      QVERIFY(shown.wait(30000));
    });
    QTableView* table = window.dataPage()->table();
    qInfo("rows: %d", table->model()->rowCount());
    auto* model = window.dataPage()->model();
    measure("jump to middle + repaint", [&] {
      int loads = model->pageLoads();
      table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum() / 2);
      window.grab();
      qInfo("pages read for the jump: %d", model->pageLoads() - loads);
    });
    measure("drag through 200 positions", [&] {
      auto* bar = table->verticalScrollBar();
      for (int i = 0; i < 200; ++i) {
        bar->setValue(bar->maximum() / 200 * i);
        table->viewport()->repaint();
        QCoreApplication::processEvents();
      }
    });
    window.dataPage()->table()->selectRow(table->rowAt(table->viewport()->height() / 2));
    test::maybeGrab(window, QStringLiteral("ui-test-big-middle.png"));
    measure("filter 'vintage mug'", [&] {
      QTest::keyClicks(window.dataPage()->searchBox(), QStringLiteral("vintage mug"));
      QVERIFY(shown.wait(30000));
    });
    qInfo("filtered rows: %d", table->model()->rowCount());
    test::maybeGrab(window, QStringLiteral("ui-test-big-filtered.png"));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
