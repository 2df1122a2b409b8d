// The Fine-tune page on a toy project with a tiny pretrained run: it lists
// the runs and labels, shows a label's fixed test split once drawn, refuses
// a base run that saw the label (the leak guard's words), shows stored
// results side by side and the label-efficiency chart (one line per method,
// the right points, PNG export); a real fine-tune finishes and adds its row,
// curves and confusion matrix; the label-efficiency study fills the chart;
// a hand-picked subset comes from the Data page's selection; predictions appear as a Data page
// column and export as CSV that reads back.

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QDirIterator>
#include <QtTest>

#include "eval/eval_results.h"
#include "eval/label_field.h"
#include "eval/label_split.h"
#include "eval/neighbour_eval.h"
#include "store/product_filter.h"
#include "store/project.h"
#include "store/run_store.h"
#include "tests/ui/pretrain_fixture.h"
#include "tests/ui/ui_fixture.h"
#include "train/pretrain_job.h"
#include "ui/curves/training_curves_view.h"
#include "ui/data_page.h"
#include "ui/finetune/confusion_matrix_view.h"
#include "ui/finetune/efficiency_series.h"
#include "ui/finetune/eval_results_model.h"
#include "ui/finetune/finetune_page.h"
#include "ui/finetune/finetune_settings_panel.h"
#include "ui/finetune/label_efficiency_chart.h"
#include "ui/finetune/predictions_bar.h"
#include "ui/finetune/subset_chooser.h"
#include "ui/job_runner.h"
#include "ui/main_window.h"
#include "ui/product_selection.h"
#include "ui/product_table_model.h"
#include "ui/recent_projects.h"

using namespace pl::ui;

namespace {

pl::EvalResult result(const std::string& subject, const std::string& method,
                      const std::string& label, double fraction,
                      std::map<std::string, double> metrics) {
  pl::EvalResult r;
  r.subject = subject;
  r.method = method;
  r.label = label;
  r.fraction = fraction;
  r.metrics = std::move(metrics);
  r.trainItems = static_cast<int64_t>(fraction * 192);
  r.testItems = 48;
  return r;
}

/// RFC 4180 reader: quoted fields, doubled quotes, line breaks inside quotes.
QList<QStringList> readCsv(const QString& text) {
  QList<QStringList> rows{{}};
  QString field;
  bool quoted = false;
  for (int i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += text[++i];
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.last() << field;
      field.clear();
    } else if (c == '\n') {
      rows.last() << field;
      field.clear();
      rows.append(QStringList());
    } else {
      field += c;
    }
  }
  if (rows.last().isEmpty() && field.isEmpty()) rows.removeLast();
  return rows;
}

}  // namespace

class FinetunePageTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    RecentProjects::clear();
    QVERIFY(dir_.isValid());
    path_ = test::makeToyProject(dir_.path());
    QVERIFY(!path_.isEmpty());
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    pl::PretrainOptions options;
    options.runName = "toy";
    options.config = pl::test::tinyTransformerConfig(40, 1000);
    pl::JobContext context;
    auto report = pl::runPretraining(**project, options, context);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
    // A run that saw the brand: the leak guard must refuse it for that label.
    pl::RunConfig leaky = options.config;
    leaky.inputs = {"title", "brand"};
    auto id = pl::createRun((*project)->db(), "leaky", "pretrain", leaky.toJson());
    QVERIFY(id.ok());
    pl::recordCheckpoint((*project)->db(), *id, 10, "leaky.pt", "0");
  }

  void efficiencySeriesKeepsTheNewestPointPerFraction() {
    auto older = result("a", "finetune-full", "type", 0.1, {{"accuracy", 0.5}});
    older.createdAt = "2026-01-01T00:00:00Z";
    auto newer = result("b", "finetune-full", "type", 0.1, {{"accuracy", 0.7}});
    newer.createdAt = "2026-01-02T00:00:00Z";
    auto knn = result("a", "knn", "type", 1, {{"knn_accuracy", 0.9}});
    auto other = result("c", "probe", "brand", 0.1, {{"accuracy", 0.2}});
    auto lines = efficiencySeries({newer, older, knn, other}, "type");
    QCOMPARE(lines.size(), size_t(1));
    QCOMPARE(lines[0].key, std::string("pretrained-full"));
    QCOMPARE(lines[0].points.size(), size_t(1));
    QCOMPARE(lines[0].points[0].accuracy, 0.7);
    QCOMPARE(lines[0].points[0].subject, std::string("b"));
    QVERIFY(isBaselineSubject("tf-idf") && isBaselineSubject("lsa-128") &&
            !isBaselineSubject("toy"));
  }

  void listsRunsLabelsSplitAndRefusesALeak() {
    auto project = pl::Project::open(path_.toStdString());
    QVERIFY(project.ok());
    JobRunner runner;
    FinetunePage page(&runner, nullptr);
    page.setProject(project->get());
    FinetuneSettingsPanel* s = page.settings();
    QStringList bases;
    for (int i = 0; i < s->baseRunCombo()->count(); ++i)
      bases << s->baseRunCombo()->itemData(i).toString();
    QCOMPARE(bases, (QStringList{"toy", "leaky", ""}));
    QCOMPARE(s->baseRun(), QStringLiteral("leaky"));  // the newest pretrained run
    QStringList labels;
    for (int i = 0; i < s->labelCombo()->count(); ++i)
      labels << s->labelCombo()->itemData(i).toString();
    QCOMPARE(labels,
             (QStringList{"category:1", "category:2", "category", "brand"}));  // no price: labels are classes

    // The split is shown once drawn, and never redrawn.
    QVERIFY(s->setLabel(QStringLiteral("category:2")));
    QVERIFY(s->splitLabel()->text().contains(QStringLiteral("drawn on first use")));
    auto label = pl::resolveLabelField((*project)->db(), "category:2");
    QVERIFY(label.ok());
    auto split = pl::ensureLabelSplit((*project)->db(), label->field.label(),
                                      pl::loadLabelledItems((*project)->db(), *label));
    QVERIFY(split.ok());
    s->refreshSplit();
    QCOMPARE(s->splitLabel()->text(),
             QStringLiteral("Test split: %1 products, drawn once (seed 1) — never trained on")
                 .arg(split->testIds.size()));

    // The leak guard's refusal, in its own words; Start stays off.
    s->setBaseRun(QStringLiteral("leaky"));
    QVERIFY(s->setLabel(QStringLiteral("brand")));
    QVERIFY(!s->problems().isEmpty());
    QVERIFY2(s->problemLabel()->text().contains(QStringLiteral("used brand as an input")),
             qPrintable(s->problemLabel()->text()));
    QVERIFY(!page.startButton()->isEnabled());
    QVERIFY(!page.studyButton()->isEnabled());
    s->setBaseRun(QStringLiteral("toy"));
    QVERIFY(s->problems().isEmpty());
    QVERIFY(page.startButton()->isEnabled());
    QCOMPARE(page.runNameEdit()->text(), QStringLiteral("ft-brand-10"));

    // Random initialisation: full only (a probe on random features says nothing).
    s->setMode(pl::FinetuneMode::Probe);
    s->setBaseRun(QString());
    QCOMPARE(s->mode(), pl::FinetuneMode::Full);
    QVERIFY(s->options().baseRun.empty());
    QCOMPARE(page.runNameEdit()->text(), QStringLiteral("scratch-brand-10"));

    // A filter subset counts its products on a worker.
    SubsetChooser* subset = s->subset();
    subset->setKind(SubsetChooser::Kind::Filter);
    QVERIFY(!subset->problem().isEmpty());  // no text yet
    subset->setFilter({"brand", pl::ProductFilter::Op::Equals, "acme"});
    QTRY_VERIFY(!subset->isCounting());
    auto expected = pl::findProductsMatching((*project)->db(),
                                             {"brand", pl::ProductFilter::Op::Equals, "Acme"});
    QVERIFY(expected.ok() && !expected->empty());
    QCOMPARE(subset->filterMatches(), qint64(expected->size()));
    QVERIFY(subset->problem().isEmpty());
    QVERIFY(s->filter().has_value());
    subset->setFilter({"brand", pl::ProductFilter::Op::Equals, "nobody"});
    QTRY_VERIFY(!subset->isCounting());
    QCOMPARE(subset->problem(), QStringLiteral("no product matches the filter"));
    page.setProject(nullptr);
  }

  void resultsSideBySideAndTheEfficiencyChart() {
    QTemporaryDir dir;
    const QString path = test::makeToyProject(dir.path());
    auto project = pl::Project::open(path.toStdString());
    QVERIFY(project.ok());
    pl::Database& db = (*project)->db();
    const std::string l = "category:2";
    for (auto [f, a] : {std::pair{0.01, 0.5}, {0.1, 0.7}, {1.0, 0.8}})
      pl::saveEvalResult(
          db, result("ft-p", "finetune-probe", l, f, {{"accuracy", a}, {"macro_f1", a - 0.1}}));
    for (auto [f, a] : {std::pair{0.1, 0.82}, {1.0, 0.9}})
      pl::saveEvalResult(
          db, result("ft-f", "finetune-full", l, f, {{"accuracy", a}, {"macro_f1", a - 0.1}}));
    for (auto [f, a] : {std::pair{0.1, 0.4}, {1.0, 0.6}})
      pl::saveEvalResult(db, result("sc", "scratch-full", l, f, {{"accuracy", a}}));
    for (auto [f, a] : {std::pair{0.01, 0.3}, {0.1, 0.6}, {1.0, 0.85}})
      pl::saveEvalResult(db, result("tf-idf", "probe", l, f, {{"accuracy", a}, {"macro_f1", a}}));
    pl::saveEvalResult(
        db, result("toy", "knn", l, 1, {{"knn_accuracy", 0.77}, {"precision_at_k", 0.66}}));
    pl::saveEvalResult(db, result("toy", "knn", "brand", 1, {{"knn_accuracy", 0.5}}));
    pl::saveEvalResult(
        db, result("toy", "baskets", "", 1, {{"recall_at_10", 0.4}, {"ndcg_at_10", 0.3}}));

    JobRunner runner;
    FinetunePage page(&runner, nullptr);
    page.resize(1500, 950);
    page.show();
    page.setProject(project->get());
    QVERIFY(page.settings()->setLabel(QString::fromStdString(l)));

    // Side by side: this label's rows, empty cells where a metric does not apply.
    QAbstractItemModel* shown = page.resultsTable()->model();
    QCOMPARE(shown->rowCount(), 11);
    const int knn = page.resultsModel()->rowOf("toy", "knn", l, 1);
    QVERIFY(knn >= 0);
    auto cell = [&](int row, int column) {
      return page.resultsModel()->data(page.resultsModel()->index(row, column)).toString();
    };
    QCOMPARE(cell(knn, EvalResultsModel::KnnAccuracy), QStringLiteral("0.7700"));
    QCOMPARE(cell(knn, EvalResultsModel::PrecisionAt10), QStringLiteral("0.6600"));
    QVERIFY(cell(knn, EvalResultsModel::Accuracy).isEmpty());
    QVERIFY(cell(knn, EvalResultsModel::MacroF1).isEmpty());
    const int full = page.resultsModel()->rowOf("ft-f", "finetune-full", l, 0.1);
    QCOMPARE(cell(full, EvalResultsModel::Accuracy), QStringLiteral("0.8200"));
    QCOMPARE(cell(full, EvalResultsModel::Fraction), QStringLiteral("10%"));
    QCOMPARE(cell(full, EvalResultsModel::Method), QStringLiteral("Fine-tune (full)"));
    QVERIFY(cell(full, EvalResultsModel::KnnAccuracy).isEmpty());
    const int baskets = page.resultsModel()->rowOf("toy", "baskets", "", 1);
    QCOMPARE(cell(baskets, EvalResultsModel::RecallAt10), QStringLiteral("0.4000"));
    QCOMPARE(cell(baskets, EvalResultsModel::NdcgAt10), QStringLiteral("0.3000"));
    page.thisLabelOnly()->setChecked(false);
    QCOMPARE(shown->rowCount(), 13);
    page.thisLabelOnly()->setChecked(true);

    // The chart: one line per method, the stored points in fraction order.
    LabelEfficiencyChart* chart = page.chart();
    QCustomPlot* plot = chart->plot();
    QCOMPARE(plot->graphCount(), 4);
    const QStringList names = {"Pretrained + probe", "Pretrained + full fine-tune",
                               "No pretraining + full", "TF-IDF + logistic regression"};
    const QList<QList<QPointF>> points = {{{0.01, 0.5}, {0.1, 0.7}, {1, 0.8}},
                                          {{0.1, 0.82}, {1, 0.9}},
                                          {{0.1, 0.4}, {1, 0.6}},
                                          {{0.01, 0.3}, {0.1, 0.6}, {1, 0.85}}};
    for (int g = 0; g < 4; ++g) {
      QCOMPARE(plot->graph(g)->name(), names[g]);
      auto data = plot->graph(g)->data();
      QCOMPARE(data->size(), points[g].size());
      for (int i = 0; i < data->size(); ++i) {
        QCOMPARE(data->at(i)->key, points[g][i].x());
        QCOMPARE(data->at(i)->value, points[g][i].y());
      }
    }
    QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot->legend->visible());
    // Hovering a marker names its run.
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QPointF at = plot->graph(1)->coordsToPixels(0.1, 0.82);
    QVERIFY2(chart->hoverAt(at).contains(QStringLiteral("ft-f")), qPrintable(chart->hoverAt(at)));
    const QString png = dir.filePath(QStringLiteral("efficiency.png"));
    QVERIFY(chart->exportImage(png));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 300);
    QTest::qWait(50);  // layouts settle after the label's texts changed
    test::maybeGrab(page, QStringLiteral("finetune_results.png"));

    // Another label has no chart lines yet, and says what to do.
    QVERIFY(page.settings()->setLabel(QStringLiteral("brand")));
    QCOMPARE(plot->graphCount(), 0);
    QCOMPARE(shown->rowCount(), 1);
    page.setProject(nullptr);
  }

  void fineTunesPredictsAndTheDataPageShowsAndExportsPredictions() {
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("ft.plens"));
    QVERIFY(QFile::copy(path_, copy));
    // A project is its file and its runs folder: checkpoint paths are stored
    // relative to the project's folder (schema 7), so the copy takes both.
    const QString runs = path_ + QStringLiteral(".runs");
    QDirIterator files(runs, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
      const QString file = files.next();
      const QString target = dir.filePath(QFileInfo(path_).fileName() + QStringLiteral(".runs/") +
                                          QDir(runs).relativeFilePath(file));
      QVERIFY(QDir().mkpath(QFileInfo(target).absolutePath()));
      QVERIFY(QFile::copy(file, target));
    }
    MainWindow window;
    window.resize(1500, 950);
    window.show();
    QSignalSpy rows(window.dataPage(), &DataPage::rowsShown);
    QVERIFY(window.openProject(copy));
    QVERIFY(rows.wait(10000));
    FinetunePage* page = window.finetunePage();
    FinetuneSettingsPanel* s = page->settings();

    // Rows selected in the Data page table are the hand-picked subset.
    QTableView* table = window.dataPage()->table();
    table->selectionModel()->select(
        QItemSelection(table->model()->index(3, 0), table->model()->index(12, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(window.productSelection()->size(), size_t(10));
    s->subset()->setKind(SubsetChooser::Kind::HandPicked);
    QVERIFY(s->subset()->problem().isEmpty());
    QCOMPARE(s->options().subsetIds.size(), size_t(10));
    QVERIFY(s->subset()->handPickedLabel()->text().contains(QStringLiteral("Data page")));

    // A real (tiny) fine-tune on every training product.
    s->setBaseRun(QStringLiteral("toy"));
    QVERIFY(s->setLabel(QStringLiteral("category:2")));
    s->subset()->setKind(SubsetChooser::Kind::Fraction);
    s->subset()->setFraction(1.0);
    s->epochsSpin()->setValue(3);
    s->patienceSpin()->setValue(2);
    window.showPage(MainWindow::FineTunePage);
    QCOMPARE(page->runNameEdit()->text(), QStringLiteral("ft-category-2-100"));
    const int before = page->resultsModel()->rowCount();
    QSignalSpy ended(page, &FinetunePage::runEnded);
    QVERIFY2(page->start(), qPrintable(s->problems().join('\n')));
    QVERIFY(page->isTraining());
    QVERIFY(!page->startButton()->isEnabled());
    QVERIFY(page->stopButton()->isEnabled());
    QVERIFY(ended.wait(120000));
    QCOMPARE(ended.last().at(1).toString(), QStringLiteral("finished"));
    QVERIFY2(page->statusLabel()->text().startsWith(QStringLiteral("Finished")),
             qPrintable(page->statusLabel()->text()));
    QCOMPARE(page->resultsModel()->rowCount(), before + 1);
    const int row =
        page->resultsModel()->rowOf("ft-category-2-100", "finetune-full", "category:2", 1);
    QVERIFY(row >= 0);
    QVERIFY(page->resultsModel()->resultAt(row)->metrics.count("accuracy"));
    QCOMPARE(page->chart()->series().size(), size_t(1));
    QCOMPARE(page->confusion()->model()->rowCount(), 6);
    QVERIFY(page->confusion()->model()->verticalHeaderItem(0)->text() ==
            QStringLiteral("Backpacks"));
    QVERIFY(page->curves()->store().pointCount() > 0);
    QVERIFY(s->splitLabel()->text().startsWith(QStringLiteral("Test split: ")));
    QVERIFY(page->runNameEdit()->text() != QStringLiteral("ft-category-2-100"));  // taken now
    test::maybeGrab(*page, QStringLiteral("finetune_after_run.png"));
    page->tabs()->setCurrentWidget(page->confusion());
    QTest::qWait(50);
    test::maybeGrab(*page, QStringLiteral("finetune_confusion.png"));

    // Predictions: the Data page's column and CSV.
    QCOMPARE(page->predictRunCombo()->currentData().toString(),
             QStringLiteral("ft-category-2-100"));
    QSignalSpy predicted(page, &FinetunePage::predictionsChanged);
    QVERIFY(page->predict());
    QVERIFY(predicted.wait(60000));
    ProductTableModel* model = window.dataPage()->model();
    QVERIFY(model->hasPredictions());
    QVERIFY(!table->isColumnHidden(ProductTableModel::PredictionColumn));
    QCOMPARE(model->headerData(ProductTableModel::PredictionColumn, Qt::Horizontal).toString(),
             QStringLiteral("Predicted category:2"));
    const QString first = model->index(0, ProductTableModel::PredictionColumn).data().toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\w+ \\((0\\.\\d\\d|1\\.00)\\)$"))
                 .match(first)
                 .hasMatch(),
             qPrintable(first));
    test::maybeGrab(*window.dataPage(), QStringLiteral("data_predictions.png"));

    const QString csv = dir.filePath(QStringLiteral("predictions.csv"));
    QString error;
    QVERIFY2(window.dataPage()->predictionsBar()->exportTo(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto lines = readCsv(QString::fromUtf8(file.readAll()));
    QCOMPARE(lines.size(), 241);
    QCOMPARE(lines[0].size(), 4);
    QCOMPARE(lines[0][0], QStringLiteral("id"));
    QCOMPARE(lines[0][1], QStringLiteral("title"));
    QCOMPARE(lines[1][0], model->index(0, ProductTableModel::IdColumn).data().toString());
    QCOMPARE(lines[1][1], model->index(0, ProductTableModel::TitleColumn).data().toString());
    QCOMPARE(QStringLiteral("%1 (%2)").arg(lines[1][2]).arg(lines[1][3].toDouble(), 0, 'f', 2),
             first);

    // The label-efficiency study (one fraction keeps it short): four lines.
    QVERIFY(page->studyButton()->isEnabled());
    QSignalSpy jobDone(window.jobs(), &JobRunner::finished);
    QVERIFY(page->runStudy({1.0}));
    QVERIFY(!page->studyButton()->isEnabled());
    QVERIFY(jobDone.wait(120000));
    QVERIFY2(page->statusLabel()->text().contains(QStringLiteral("4 points stored")),
             qPrintable(page->statusLabel()->text()));
    QCOMPARE(page->chart()->series().size(), size_t(4));
    QCOMPARE(page->chart()->plot()->graphCount(), 4);

    // Hiding the column and showing it again.
    PredictionsBar* bar = window.dataPage()->predictionsBar();
    bar->runCombo()->setCurrentIndex(0);
    QVERIFY(table->isColumnHidden(ProductTableModel::PredictionColumn));
    QVERIFY(bar->showRun(QStringLiteral("ft-category-2-100")));
    QVERIFY(!table->isColumnHidden(ProductTableModel::PredictionColumn));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(FinetunePageTest)
#include "test_finetune_page.moc"
