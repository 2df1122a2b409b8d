#pragma once
// The label-efficiency chart: test accuracy against the share of labelled
// products (log axis, 1% to 100%), one line with markers per method
// (pretrained + probe, pretrained + full, no pretraining + full, TF-IDF +
// logistic regression). The picture a researcher puts in a report: it
// exports as PNG (and PDF).

#include <QString>
#include <QWidget>
#include <vector>

#include "eval/eval_results.h"
#include "ui/finetune/efficiency_series.h"

class QCustomPlot;
class QLabel;
class QPushButton;

namespace pl::ui {

/// Accuracy per labelled fraction and method for one label.
class LabelEfficiencyChart : public QWidget {
  Q_OBJECT

 public:
  explicit LabelEfficiencyChart(QWidget* parent = nullptr);

  /// Draws the lines of `label` (the name results are stored under) from
  /// `results`; `title` names it for people ("articleType (category level 3)").
  void setResults(const std::vector<pl::EvalResult>& results, const QString& label,
                  const QString& title);
  const std::vector<EfficiencySeries>& series() const { return series_; }
  QCustomPlot* plot() const { return plot_; }
  QPushButton* exportButton() const { return exportButton_; }

  /// PNG (or PDF when the path ends in .pdf) at the size shown, 1200x800
  /// when hidden. False with `error` set when the file cannot be written.
  bool exportImage(const QString& path, QString* error = nullptr);
  /// What hovering `pixel` shows ("" away from the points).
  QString hoverAt(const QPointF& pixel) const;

 private:
  void exportWithDialog();
  void onMouseMove(QMouseEvent* event);

  QCustomPlot* plot_;
  QLabel* note_;
  QPushButton* exportButton_;
  QString label_;
  std::vector<EfficiencySeries> series_;
};

}  // namespace pl::ui
