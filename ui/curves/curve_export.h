#pragma once
// The CSV writer behind the curves view's "Series as CSV" export.

#include <QString>
#include <map>

#include "ui/curves/curve_series.h"

namespace pl::ui {

/// Writes every point of the runs in `labels` (run id -> label) as CSV with
/// the header run,series,step,epoch,wall_seconds,value. The file appears
/// whole or not at all. On failure returns false and says why in `error`.
bool writeCurvesCsv(const CurveStore& store, const std::map<qint64, QString>& labels,
                    const QString& path, QString* error);

}  // namespace pl::ui
