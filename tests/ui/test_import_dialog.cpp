// The import dialog previews the first rows, pre-fills the guessed mapping,
// refuses a mapping it cannot import, and the summary lists refused rows.

#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/ui_fixture.h"
#include "ui/field_mapping_editor.h"
#include "ui/import_dialog.h"
#include "ui/import_summary.h"

using namespace pl::ui;

class ImportDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(dir_.isValid());
    csv_ = test::writeCatalog(dir_.path(), 30);
  }

  void previewShowsTheFirstRows() {
    ImportDialog dialog;
    dialog.setCatalogPath(csv_);
    QTableWidget* preview = dialog.previewTable();
    QCOMPARE(preview->rowCount(), ImportDialog::kPreviewRows);
    QCOMPARE(preview->columnCount(), 8);
    QCOMPARE(preview->item(0, 1)->text(), QStringLiteral("Blue shirt 0"));
    QCOMPARE(preview->item(19, 0)->text(), QStringLiteral("S19"));
  }

  void guessedMappingIsPrefilled() {
    ImportDialog dialog;
    dialog.setCatalogPath(csv_);
    FieldMappingEditor* editor = dialog.mappingEditor();
    QCOMPARE(editor->combo(pl::Field::Id)->currentText(), QStringLiteral("sku"));
    QCOMPARE(editor->combo(pl::Field::Title)->currentText(), QStringLiteral("productDisplayName"));
    QCOMPARE(editor->combo(pl::Field::Brand)->currentText(), QStringLiteral("brand"));
    QCOMPARE(editor->combo(pl::Field::Category)->currentText(),
             QStringLiteral("masterCategory > subCategory"));
    QCOMPARE(editor->combo(pl::Field::Description)->currentText(), FieldMappingEditor::notMapped());
    pl::FieldMapping mapping = dialog.options().mapping.value();
    QCOMPARE(mapping.columns(pl::Field::Category),
             (std::vector<std::string>{"masterCategory", "subCategory"}));
    // The preview's headers say where each column goes.
    QString title = dialog.previewTable()->horizontalHeaderItem(1)->text();
    QVERIFY2(title.contains(QStringLiteral("→ title")), qPrintable(title));
    QVERIFY(dialog.previewTable()->horizontalHeaderItem(7)->text().contains("attribute"));
    QVERIFY(dialog.canImport());
  }

  void choicesBecomeImportOptions() {
    ImportDialog dialog;
    dialog.setCatalogPath(csv_);
    FieldMappingEditor* editor = dialog.mappingEditor();
    editor->combo(pl::Field::Brand)->setCurrentText(FieldMappingEditor::notMapped());
    editor->combo(pl::Field::Category)->setEditText(QStringLiteral("subCategory"));
    pl::ImportOptions options = dialog.options();
    QVERIFY(!options.allowOutsideImagesRoot);  // pictures stay under the images root unless asked
    dialog.findChild<QCheckBox*>(QStringLiteral("allowOutsideImagesRoot"))->setChecked(true);
    QVERIFY(dialog.options().allowOutsideImagesRoot);
    dialog.resize(900, 700);
    test::maybeGrab(dialog, QStringLiteral("ui-test-import-dialog.png"));
    QCOMPARE(QString::fromStdString(options.catalogPath), csv_);
    QVERIFY(options.mapping->columns(pl::Field::Brand).empty());
    QCOMPARE(options.mapping->columns(pl::Field::Category), std::vector<std::string>{"subCategory"});
    QVERIFY(dialog.previewTable()->horizontalHeaderItem(2)->text().contains("attribute"));
  }

  void unknownCategoryColumnBlocksImport() {
    ImportDialog dialog;
    dialog.setCatalogPath(csv_);
    dialog.mappingEditor()->combo(pl::Field::Category)->setEditText("masterCategory > shelf");
    QVERIFY(!dialog.canImport());
    QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("shelf")));
  }

  void unreadableFileIsSaidInTheDialog() {
    ImportDialog dialog;
    dialog.setCatalogPath(dir_.path() + QStringLiteral("/missing.csv"));
    QVERIFY(!dialog.canImport());
    QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("missing.csv")));
  }

  void summaryListsTheFirstTwentyIssues() {
    pl::ImportReport report;
    report.productsImported = 75;
    report.rowsRead = 100;
    report.badRows = 25;
    report.imagesMissing = 3;
    for (int i = 0; i < 25; ++i) report.issues.push_back({"c.csv", i + 2, "price", "not a number"});
    QString summary = importSummaryText(report);
    QVERIFY(summary.contains(QStringLiteral("75")));
    QVERIFY(summary.contains(QStringLiteral("3 missing")));
    QStringList issues = importIssuesText(report).split('\n');
    QCOMPARE(issues.size(), kSummaryIssues + 1);
    QCOMPARE(issues.first(), QStringLiteral("c.csv:2: field 'price': not a number"));
    QVERIFY(issues.last().contains(QStringLiteral("5 more")));
  }

  void grabForScreenshot() {
    QString dir = qEnvironmentVariable("PL_SCREENSHOT_DIR");
    QString file = qEnvironmentVariable("PL_SCREENSHOT_CATALOG", csv_);
    if (dir.isEmpty()) QSKIP("set PL_SCREENSHOT_DIR to save the dialog as a PNG");
    ImportDialog dialog;
    dialog.setCatalogPath(file);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(dir + QStringLiteral("/import-dialog.png"));
  }

 private:
  QTemporaryDir dir_;
  QString csv_;
};

QTEST_MAIN(ImportDialogTest)
#include "test_import_dialog.moc"
