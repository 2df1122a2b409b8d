#pragma once
// The run report as PDF, printed by Qt's printer from the report's HTML
// (core/export/run_report.h). QTextDocument draws neither inline SVG nor
// data: URLs, so each chart is drawn by QtSvg into a picture and each
// embedded PNG decoded, and the document refers to them as resources.

#include <QString>

class QTextDocument;

namespace pl::ui {

/// A document laid out from the report `html`, charts and pictures resolved.
/// `document` is filled; returns how many charts and pictures it resolved.
int layOutReport(const QString& html, QTextDocument& document);

/// Prints `html` to the PDF file `path` (A4, the previous file is replaced
/// only once the new one is complete). Returns an empty string or the error.
QString printReportPdf(const QString& html, const QString& path);

/// Where the PDF of the report written to `htmlPath` goes: the same name
/// with .pdf for .html/.htm, else .pdf appended.
QString pdfPathFor(const QString& htmlPath);

}  // namespace pl::ui
