#pragma once
// Colours and pens of the curves: one colour per run, and within a run a
// shade per objective, dashes for validation, dots for the secondary axis.

#include <QColor>
#include <QPen>
#include <string>

namespace pl::ui {

/// The colour of the `index`-th run shown: Tableau 10 (tells ten runs apart
/// and survives colour-blind viewers well), then the same hues rotated.
QColor paletteColor(int index);

/// The pen of a series' main line in a run of colour `run`.
QPen seriesPen(const QColor& run, const std::string& name);

/// The faint raw line drawn behind a smoothed one.
QPen rawPen(const QPen& main);

}  // namespace pl::ui
