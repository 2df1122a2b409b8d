#include "ui/import_summary.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace pl::ui {

namespace {

QString n(int64_t value) { return QLocale().toString(static_cast<qlonglong>(value)); }

}  // namespace

QString importSummaryText(const pl::ImportReport& report) {
  QStringList lines;
  lines << QObject::tr("Imported %1 products from %2 rows in %3 s.")
               .arg(n(report.productsImported), n(report.rowsRead))
               .arg(report.seconds, 0, 'f', 1);
  lines << QObject::tr("Bad rows skipped: %1").arg(n(report.badRows));
  lines << QObject::tr("Images: %1 found, %2 missing, %3 undecodable")
               .arg(n(report.imagesFound), n(report.imagesMissing), n(report.imagesUndecodable));
  if (report.basketLinesRead > 0) {
    lines << QObject::tr("Baskets: %1 with %2 items (%3 bad lines)")
                 .arg(n(report.baskets), n(report.basketItems), n(report.basketBadLines));
  }
  return lines.join(QLatin1Char('\n'));
}

QString importIssuesText(const pl::ImportReport& report) {
  QStringList lines;
  for (size_t i = 0; i < report.issues.size() && i < static_cast<size_t>(kSummaryIssues); ++i) {
    lines << QString::fromStdString(report.issues[i].describe());
  }
  if (report.badRows > kSummaryIssues) {
    lines << QObject::tr("… and %1 more").arg(n(report.badRows - kSummaryIssues));
  }
  return lines.join(QLatin1Char('\n'));
}

void showImportSummary(QWidget* parent, const pl::ImportReport& report) {
  QDialog dialog(parent);
  dialog.setWindowTitle(QObject::tr("Import finished"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* text = new QLabel(importSummaryText(report));
  text->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(text);
  if (!report.issues.empty()) {
    layout->addWidget(new QLabel(QObject::tr("First refused rows:")));
    auto* issues = new QPlainTextEdit(importIssuesText(report));
    issues->setReadOnly(true);
    issues->setLineWrapMode(QPlainTextEdit::NoWrap);
    issues->setMinimumSize(640, 260);
    layout->addWidget(issues);
  }
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok);
  QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  layout->addWidget(buttons);
  dialog.exec();
}

}  // namespace pl::ui
