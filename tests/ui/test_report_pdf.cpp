// The run report printed to PDF: charts (inline SVG) and the map (a data:
// PNG) become pictures of the document, the PDF is whole, and a failed print
// leaves the previous file alone.
#include <QAbstractTextDocumentLayout>
#include <QImage>
#include <QPainter>
#include <QTextDocument>
#include <QtTest>

#include "ui/export/report_pdf.h"

namespace {

QString chart(const char* colour) {
  return QStringLiteral("<svg xmlns='http://www.w3.org/2000/svg' width='760' height='300'><polyline fill='none' "
                        "stroke='%1' points='0,0 760,300'/><text x='10' y='20'>loss</text></svg>")
      .arg(QLatin1String(colour));
}

QString pngDataUrl() {
  QImage map(56, 40, QImage::Format_RGB32);
  map.fill(Qt::blue);
  QByteArray png;
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  map.save(&buffer, "PNG");
  return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString reportHtml() {
  return QStringLiteral("<!DOCTYPE html><html><head><title>ProductLens run tiny</title><style>body{max-width:960px;"
                        "margin:auto}</style></head><body><h1>Run tiny</h1><h2>Losses</h2>") +
         chart("#1f77b4") + QStringLiteral("<h2>Evaluation</h2><table><tr><th>subject</th></tr><tr><td>tiny</td></tr>"
                                           "</table><h2>Label efficiency</h2>") +
         chart("#d62728") + QStringLiteral("<h2>Map</h2><p>pca</p><img alt='map' src='") + pngDataUrl() +
         QStringLiteral("'><h2>Configuration</h2><pre>{}</pre></body></html>");
}

}  // namespace

class TestReportPdf : public QObject {
  Q_OBJECT
 private slots:
  void chartsAndMapBecomePictures() {
    QTextDocument document;
    QCOMPARE(pl::ui::layOutReport(reportHtml(), document), 3);
    const QString html = document.toHtml();
    QVERIFY(!html.contains(QStringLiteral("<svg")));
    QVERIFY(!html.contains(QStringLiteral("data:image")));
    const QImage first = document.resource(QTextDocument::ImageResource, QUrl(QStringLiteral("report-picture-0"))).value<QImage>();
    QCOMPARE(first.size(), QSize(1520, 600));  // drawn at twice the chart's size
    // The chart was drawn: its blue line crosses the middle of the picture.
    QCOMPARE(first.pixelColor(760, 300).blue() > 150 && first.pixelColor(760, 300).red() < 100, true);
    const QImage map = document.resource(QTextDocument::ImageResource, QUrl(QStringLiteral("report-picture-2"))).value<QImage>();
    QCOMPARE(map.size(), QSize(56, 40));
    QCOMPARE(document.metaInformation(QTextDocument::DocumentTitle), QStringLiteral("ProductLens run tiny"));
    // Each picture sits in its own block, below its heading, not on the heading's line.
    QVERIFY(document.toPlainText().contains(QStringLiteral("Losses\n")));
  }

  void printsAWholePdf() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tiny-report.pdf"));
    QCOMPARE(pl::ui::printReportPdf(reportHtml(), path), QString());
    QFile pdf(path);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdf.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    QVERIFY(bytes.count("/Subtype /Image") >= 3);
    QVERIFY(bytes.count("/Type /Page\n") + bytes.count("/Type /Page ") + bytes.count("/Type /Page>") >= 1);
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
  }

  void aFailedPrintKeepsTheOldFile() {
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("no-such-folder/r.pdf"));
    const QString error = pl::ui::printReportPdf(reportHtml(), missing);
    QVERIFY(error.contains(missing));
    QVERIFY(!QFile::exists(missing));
  }

  void pdfGoesBesideTheHtml() {
    QCOMPARE(pl::ui::pdfPathFor(QStringLiteral("/a/run-report.html")), QStringLiteral("/a/run-report.pdf"));
    QCOMPARE(pl::ui::pdfPathFor(QStringLiteral("/a/R.HTM")), QStringLiteral("/a/R.pdf"));
    QCOMPARE(pl::ui::pdfPathFor(QStringLiteral("/a/report")), QStringLiteral("/a/report.pdf"));
  }
};

QTEST_MAIN(TestReportPdf)
#include "test_report_pdf.moc"
