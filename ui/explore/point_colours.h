#pragma once
// Colouring the map by a product field: a categorical palette (the most
// frequent values, the rest grey as "other") with a legend, or a gradient for
// numbers such as price.

#include <QColor>
#include <QObject>
#include <QRgb>
#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace pl::ui {

/// One legend row: a value, its colour and how many points have it.
struct LegendEntry {
  QString label;
  QRgb colour = 0;
  int64_t count = 0;
};

/// A colour per point, as an index into a small palette (the plottable
/// draws palette[index[i]]).
struct PointColours {
  std::vector<uint16_t> index;
  std::vector<QRgb> palette;
  /// Categorical: one row per palette entry, most frequent first ("other"
  /// and "(missing)" last). Numeric: empty.
  std::vector<LegendEntry> legend;
  bool numeric = false;
  double low = 0, high = 0;  ///< numeric: the values at the gradient's ends
  int64_t missing = 0;       ///< points without a value
};

/// Grey for "other" and missing values.
constexpr QRgb kOtherColour = 0xffb4b4b4;
/// Colour of every point when the map is not coloured by a field.
constexpr QRgb kPlainColour = 0xff3b75af;

/// The categorical palette (tab20-like, bright colours first).
const std::vector<QRgb>& categoricalPalette();
/// A perceptually ordered gradient (viridis-like), t in [0, 1].
QRgb gradientColour(double t);

/// Every point one colour.
PointColours plainColours(size_t points);
/// The `maxValues` most frequent non-empty values get their own colour (ties
/// broken alphabetically); the rest are "other"; empty values are "(missing)".
PointColours categoricalColours(const std::vector<std::string>& values, int maxValues = 19);
/// Numbers on a gradient between the 1st and 99th percentile (outliers such
/// as one very dear product do not wash out the rest); unparsable or empty
/// values are grey.
PointColours numericColours(const std::vector<std::string>& values);
/// True when nearly all non-empty values are numbers and they take many
/// distinct values (a year with 8 values reads better as categories).
bool looksNumeric(const std::vector<std::string>& values);

}  // namespace pl::ui
