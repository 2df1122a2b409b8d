#pragma once
// Live and stored training curves of one or more runs: losses, learning rate
// and throughput, stacked on a shared x axis, with smoothing, log scale,
// step/epoch/wall-time axis, hover read-out, zoom/pan and export. Keeps every
// point; draws a per-pixel min/max copy; replots at most 20 times a second.

#include <QTimer>
#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "store/run_store.h"
#include "ui/curves/curve_plot.h"
#include "ui/curves/curve_series.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace pl::ui {

/// Training curves of the runs added to it (a colour per run).
class TrainingCurvesView : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingCurvesView(QWidget* parent = nullptr);

  /// Shows a run's curves (creates its series; a distinct colour per run).
  /// `label` appears in legends. Adding a shown run again only renames it.
  void addRun(qint64 runId, const QString& label);
  void removeRun(qint64 runId);
  bool hasRun(qint64 runId) const;
  void clear();
  /// Live: one call per JobContext::metrics report. Keys: loss,
  /// loss/<objective>, val/<objective>, lr, epoch (fractional), tokens_per_s,
  /// products_per_s, wall_s (seconds since the run started). Unknown keys
  /// become new series. Cheap: it only appends and schedules a coalesced
  /// replot. Reports for runs not added are ignored.
  void appendMetrics(qint64 runId, qint64 step, const std::map<std::string, double>& values);
  /// Stored: all points of a run as loaded with pl::loadAllMetrics; replaces
  /// what the view held for it (adds the run if needed, labelled by its id).
  void loadStoredMetrics(qint64 runId, const std::vector<pl::MetricPoint>& points);

  /// TensorBoard smoothing weight, 0 (raw) to 0.99.
  void setSmoothing(double weight);
  double smoothing() const { return plot_->smoothing(); }
  /// Logarithmic y axis on the losses plot.
  void setLogScale(bool on);
  bool logScale() const { return plot_->logScale(); }
  void setXAxis(CurveXAxis mode);
  CurveXAxis xAxis() const { return plot_->xAxisMode(); }
  /// Fits all curves again and follows new points (undoes zoom and pan).
  void resetView();

  /// Writers behind the export buttons (the buttons only add a file dialog).
  /// PNG at the plot's size on screen (or 1200x900 when it is hidden).
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportPdf(const QString& path, QString* error = nullptr);
  /// Every point of every series of every shown run, with the columns
  /// run,series,step,epoch,wall_seconds,value (epoch empty where unknown).
  bool exportCsv(const QString& path, QString* error = nullptr) const;

  /// Syncs and replots now instead of on the timer (exports, tests).
  void replotNow();
  /// Coalesced replots done so far.
  int replotCount() const { return replotCount_; }
  bool replotPending() const { return timer_.isActive() || dirty_; }
  /// Hover: the read-out for the point nearest to `pixel` (plot coordinates);
  /// what moving the mouse there shows.
  QString hoverAt(const QPointF& pixel);
  QString readout() const;

  const CurveStore& store() const { return store_; }
  CurvePlot* plot() const { return plot_; }
  QColor runColor(qint64 runId) const;
  QString runLabel(qint64 runId) const;

 protected:
  void showEvent(QShowEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  QWidget* buildToolbar();
  void scheduleReplot();
  void onReplotTimer();
  void onMouseMove(QMouseEvent* event);
  void exportWithDialog(const QString& filter, const QString& suffix);
  QString describe(const CurvePlot::Hit& hit) const;

  CurveStore store_;
  std::map<qint64, QString> labels_;
  std::map<qint64, int> colours_;  ///< palette index per run, kept while it is shown
  CurvePlot* plot_;
  QSlider* smoothingSlider_ = nullptr;
  QLabel* smoothingValue_ = nullptr;
  QCheckBox* logScaleBox_ = nullptr;
  QComboBox* xAxisBox_ = nullptr;
  QLabel* readout_ = nullptr;
  QTimer timer_;
  bool dirty_ = false;
  int replotCount_ = 0;
};

}  // namespace pl::ui
