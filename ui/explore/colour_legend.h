#pragma once
// What the map's colours mean: a swatch, value and count per category, or a
// colour scale with its end values for numbers. Clicking a category selects
// its points.

#include <QWidget>

#include "ui/explore/point_colours.h"

class QLabel;
class QListWidget;

namespace pl::ui {

/// Legend of a PointColours.
class ColourLegend : public QWidget {
  Q_OBJECT

 public:
  explicit ColourLegend(QWidget* parent = nullptr);

  /// Shows the legend of `colours` for the field named `field` (empty: none).
  void setColours(const QString& field, const PointColours& colours);
  QListWidget* list() const { return list_; }
  /// Text of row `row` as shown ("value  count").
  QString entryText(int row) const;

 signals:
  /// A category row was clicked: its palette slot (PointColours::index value).
  void entryActivated(int paletteSlot);

 private:
  QLabel* title_;
  QListWidget* list_;
  QLabel* scale_;
  QLabel* scaleLabels_;
};

}  // namespace pl::ui
