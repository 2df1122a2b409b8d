#pragma once
// What the user sees when an import finished: counts, and the refused rows
// with their reasons so the file can be fixed.

#include <QString>

#include "catalog/import_report.h"

class QWidget;

namespace pl::ui {

/// Rows of refused input listed in the summary.
constexpr int kSummaryIssues = 20;

/// The summary's headline counts, as plain text lines.
QString importSummaryText(const pl::ImportReport& report);
/// The first kSummaryIssues issues, one per line ("file:line: field 'x': reason").
QString importIssuesText(const pl::ImportReport& report);
/// Shows the summary in a modal dialog.
void showImportSummary(QWidget* parent, const pl::ImportReport& report);

}  // namespace pl::ui
