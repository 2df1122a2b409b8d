#pragma once
// The run report: one self-contained HTML page (inline SVG charts, the map as
// an embedded PNG) with a run's config, loss curves, evaluation scores,
// label-efficiency chart and 2D map: what a researcher attaches to a paper
// or a ticket. No Qt: the CLI writes it; the GUI prints it to PDF.

#include <string>

#include "common/result.h"
#include "store/project.h"

namespace pl {

/// The report of `runName` as HTML text.
Result<std::string> runReportHtml(Project& project, const std::string& runName);

/// Writes runReportHtml() to `path` atomically.
Status writeRunReport(Project& project, const std::string& runName, const std::string& path);

}  // namespace pl
