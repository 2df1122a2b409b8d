#include "ui/export/report_pdf.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QFile>
#include <QFont>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPrinter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>
#include <cstdio>
#include <functional>

namespace pl::ui {

namespace {

// The width the report is laid out at before it is scaled onto A4 less
// margins; wider pictures are scaled down to it instead of being cut.
constexpr int kPageWidth = 760;
constexpr int kMaxWidth = kPageWidth;

// Replaces every match of `pattern` in `html` by what `replace` makes of it.
QString replaceEach(const QString& html, const QRegularExpression& pattern,
                    const std::function<QString(const QRegularExpressionMatch&)>& replace) {
  QString out;
  qsizetype last = 0;
  for (auto it = pattern.globalMatch(html); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    out += html.mid(last, m.capturedStart() - last);
    out += replace(m);
    last = m.capturedEnd();
  }
  out += html.mid(last);
  return out;
}

}  // namespace

int layOutReport(const QString& html, QTextDocument& document) {
  int resolved = 0;
  // Registers `image` to show at `shown` (charts are drawn at twice that, for
  // a sharp print: the pixel ratio says so) and returns the tag showing it.
  auto imageTag = [&](const QImage& image, QSize shown) {
    const QString name = QStringLiteral("report-picture-%1").arg(resolved++);
    if (shown.width() > kMaxWidth) shown = QSize(kMaxWidth, shown.height() * kMaxWidth / shown.width());
    QImage sharp = image;
    sharp.setDevicePixelRatio(static_cast<double>(image.width()) / shown.width());
    document.addResource(QTextDocument::ImageResource, QUrl(name), sharp);
    // In a paragraph of its own: a bare <img> joins the line of the block
    // before it (the heading), which then stands as tall as the picture.
    return QStringLiteral("<p><img src=\"%1\" width=\"%2\" height=\"%3\"></p>")
        .arg(name)
        .arg(shown.width())
        .arg(shown.height());
  };
  static const QRegularExpression svg(QStringLiteral("<svg\\b.*?</svg>"),
                                      QRegularExpression::DotMatchesEverythingOption);
  QString text = replaceEach(html, svg, [&](const QRegularExpressionMatch& m) {
    QSvgRenderer renderer(m.captured(0).toUtf8());
    const QSize size = renderer.defaultSize();
    if (!renderer.isValid() || size.isEmpty()) return QStringLiteral("<p>(a chart that could not be drawn)</p>");
    QImage image(size * 2, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    return imageTag(image, size);
  });
  static const QRegularExpression dataUrl(
      QStringLiteral("<img\\b[^>]*src=['\"]data:image/[a-z]+;base64,([A-Za-z0-9+/=]+)['\"][^>]*>"));
  text = replaceEach(text, dataUrl, [&](const QRegularExpressionMatch& m) {
    const QImage image = QImage::fromData(QByteArray::fromBase64(m.captured(1).toLatin1()));
    if (image.isNull()) return QStringLiteral("<p>(a picture that could not be decoded)</p>");
    return imageTag(image, image.size());
  });
  // The page's stylesheet is for browsers (a centred 960-pixel column):
  // QTextDocument would squeeze everything into half the paper. Paper gets
  // its own, and tables the full width.
  static const QRegularExpression style(QStringLiteral("<style>.*?</style>"),
                                        QRegularExpression::DotMatchesEverythingOption);
  text.remove(style);
  text.replace(QStringLiteral("<table>"), QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\">"));
  document.setDefaultStyleSheet(QStringLiteral(
      "body{font-family:sans-serif;font-size:9pt} table{border-collapse:collapse;font-size:7pt}"
      "td,th{border:1px solid #bbb} pre{font-size:7pt;background:#f4f4f4}"));
  document.setHtml(text);
  return resolved;
}

QString printReportPdf(const QString& html, const QString& path) {
  const QFileInfo target(path);
  const QFileInfo folder(target.absolutePath());
  if (!folder.isDir() || !folder.isWritable()) {
    return QStringLiteral("cannot write %1: the folder %2 is missing or not writable").arg(path, folder.filePath());
  }
  QTextDocument document;
  layOutReport(html, document);
  // Printed beside the target, then renamed over it: a failed print leaves
  // the previous PDF whole.
  const QString part = target.absoluteFilePath() + QStringLiteral(".part");
  {
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    printer.setOutputFileName(part);
    printer.setPageSize(QPageSize(QPageSize::A4));
    printer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    printer.setDocName(document.metaInformation(QTextDocument::DocumentTitle));
    printer.setCreator(QStringLiteral("ProductLens " PL_VERSION));
    // Laid out kPageWidth pixels wide and scaled onto the paper by hand:
    // QTextDocument::print() maps screen to printer resolution itself and
    // used only part of the page width.
    const QRectF paper = printer.pageRect(QPrinter::DevicePixel);
    const double scale = paper.width() / kPageWidth;
    const double footer = 24;  // page numbers, in layout pixels
    const QSizeF page(kPageWidth, paper.height() / scale - footer);
    document.setPageSize(page);
    QPainter painter;
    if (!painter.begin(&printer)) {
      QFile::remove(part);
      return QStringLiteral("cannot write %1: the printer could not start").arg(path);
    }
    const int pages = document.pageCount();
    for (int i = 0; i < pages; ++i) {
      if (i > 0) printer.newPage();
      painter.save();
      painter.scale(scale, scale);
      QFont small = painter.font();
      small.setPixelSize(11);  // layout pixels: point sizes would be the printer's
      painter.setFont(small);
      painter.drawText(QRectF(0, page.height(), page.width(), footer), Qt::AlignRight | Qt::AlignBottom,
                       QStringLiteral("%1 / %2").arg(i + 1).arg(pages));
      painter.translate(0, -page.height() * i);
      QAbstractTextDocumentLayout::PaintContext context;
      context.clip = QRectF(0, page.height() * i, page.width(), page.height());
      painter.setClipRect(context.clip);
      document.documentLayout()->draw(&painter, context);
      painter.restore();
    }
    painter.end();
    if (printer.printerState() == QPrinter::Error) {
      QFile::remove(part);
      return QStringLiteral("cannot write %1: the printer failed (disk full?)").arg(path);
    }
  }
  if (QFileInfo(part).size() == 0) {
    QFile::remove(part);
    return QStringLiteral("cannot write %1: nothing was printed (disk full?)").arg(path);
  }
  if (std::rename(QFile::encodeName(part).constData(), QFile::encodeName(target.absoluteFilePath()).constData()) != 0) {
    QFile::remove(part);
    return QStringLiteral("cannot replace %1").arg(path);
  }
  return {};
}

QString pdfPathFor(const QString& htmlPath) {
  static const QRegularExpression htmlSuffix(QStringLiteral("\\.html?$"), QRegularExpression::CaseInsensitiveOption);
  QString pdf = htmlPath;
  pdf.remove(htmlSuffix);
  return pdf + QStringLiteral(".pdf");
}

}  // namespace pl::ui
