#pragma once
// The plot part of the training-curves view: one QCustomPlot with three
// stacked axis rects (losses, learning rate, throughput) sharing the x axis,
// a legend beside each, and two graphs per series (smoothed line, faint raw
// line) fed with a downsampled copy of the store's points.

#include <qcustomplot.h>

#include <QString>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ui/curves/curve_math.h"
#include "ui/curves/curve_series.h"

namespace pl::ui {

/// What the x axis counts.
enum class CurveXAxis { Step, Epoch, WallTime };

/// Plots a CurveStore. It never replots by itself: sync() updates the graphs
/// and the owner decides when to replot.
class CurvePlot : public QCustomPlot {
  Q_OBJECT

 public:
  /// One series point under the mouse, with its exact stored values.
  struct Hit {
    bool valid = false;
    qint64 runId = 0;
    std::string series;
    size_t index = 0;  ///< into the store's series
    double shown = 0;  ///< the y drawn there (smoothed when smoothing is on)
  };

  explicit CurvePlot(QWidget* parent = nullptr);
  ~CurvePlot() override;

  /// Label (legend) and colour of a run's graphs; existing graphs follow.
  void setRunStyle(qint64 runId, const QString& label, const QColor& colour);
  void removeRun(qint64 runId);
  void clearRuns();

  void setXAxisMode(CurveXAxis mode);
  CurveXAxis xAxisMode() const { return xMode_; }
  void setLogScale(bool on);
  bool logScale() const { return logScale_; }
  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }
  /// Following: axes fit all data on every sync (a live run stays in view).
  /// The user's first drag or zoom turns it off; Reset view turns it on.
  void setFollowing(bool on);
  bool following() const { return following_; }

  /// Brings the graphs up to date with `store`: new series get graphs,
  /// changed ones are smoothed and downsampled again. Does not replot.
  void sync(const CurveStore& store);

  /// The smoothed (or raw) main lines of a run, one per plotted series.
  QList<QCPGraph*> graphsOf(qint64 runId) const;
  /// The axis rects from top: losses, learning rate, throughput.
  QCPAxisRect* panelRect(CurvePanel panel) const;
  /// Whether a panel is laid out. Losses always are; the others only once a
  /// shown run has a series there (a fine-tune reports no throughput).
  bool panelShown(CurvePanel panel) const { return shown_[indexOf(panel)]; }
  /// The drawn point nearest to `pixel` within the axis rect under it.
  Hit nearest(const QPointF& pixel, const CurveStore& store) const;
  /// Marks `hit` with the tracer (on the overlay layer: no full replot).
  void mark(const Hit& hit, const CurveStore& store);
  /// The x value of point `index` of `series` in the current mode.
  double xOf(const CurveSeries& series, size_t index) const;

 signals:
  /// The user moved or zoomed a range: the graphs need a new sync.
  void viewChanged();

 private:
  struct Panel {
    QCPAxisRect* rect = nullptr;
    QCPLayoutGrid* side = nullptr;  ///< holds the legend beside the rect
    QCPLegend* legend = nullptr;
  };
  struct Entry {
    CurvePanel panel = CurvePanel::Losses;
    QCPGraph* main = nullptr;
    QCPGraph* raw = nullptr;
    uint64_t builtRevision = 0;
    uint64_t builtResets = 0;
    uint64_t builtView = 0;
    EmaSmoother smoother;
    std::vector<double> smoothed;
    std::vector<size_t> shown;  ///< store indices drawn, for the hover read-out
  };
  using Key = std::pair<qint64, std::string>;

  static size_t indexOf(CurvePanel panel) { return static_cast<size_t>(panel); }

  void buildPanels();
  void arrangePanels();
  void labelSharedXAxis();
  Entry& entryFor(qint64 runId, const std::string& name);
  std::map<Key, Entry>::iterator dropEntry(std::map<Key, Entry>::iterator it);
  void updateEntry(Entry& entry, const CurveSeries& series, double x0, double x1, int buckets);
  void downsampleAll(const CurveStore& store);
  void wrapLegends();
  int bucketWidth() const;
  void fitX(const CurveStore& store);
  void fitY();
  void applyXRange(const QCPRange& range);
  void restyle(const Key& key, Entry& entry);

  std::array<Panel, 3> panels_;
  std::array<bool, 3> shown_{true, true, true};
  std::map<Key, Entry> entries_;
  std::map<qint64, std::pair<QString, QColor>> runStyles_;
  QCPItemTracer* tracer_ = nullptr;
  CurveXAxis xMode_ = CurveXAxis::Step;
  double smoothing_ = 0.6;
  bool logScale_ = false;
  bool following_ = true;
  bool ownRangeChange_ = false;
  uint64_t viewRevision_ = 1;
  QCPRange builtRange_;
  int builtWidth_ = 0;
};

}  // namespace pl::ui
