#include "ui/curves/curve_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/curves/curve_style.h"

namespace pl::ui {

namespace {

// QCustomPlot's log ticker falls back to linear ticks below 1.6 decades, which
// on a log axis leaves the low end (where late losses live) unlabelled. Loss
// ranges are often that short: tick 1-2-5 there, powers of ten beyond.
class LossLogTicker : public QCPAxisTickerLog {
 protected:
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
    if (range.lower <= 0 || range.upper <= 0 || std::log10(range.upper / range.lower) > 3) {
      return QCPAxisTickerLog::createTickVector(tickStep, range);
    }
    QVector<double> ticks;
    for (double decade = std::pow(10.0, std::floor(std::log10(range.lower))); decade <= range.upper;
         decade *= 10) {
      for (double m : {1.0, 2.0, 5.0}) ticks << m * decade;
    }
    return ticks;
  }
};

}  // namespace

CurvePlot::CurvePlot(QWidget* parent) : QCustomPlot(parent) {
  buildPanels();
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  // Antialiased pens wider than one pixel cost Qt's stroker ~15 ms per
  // 2,000-point line; the fast polyline path draws the same in a fraction.
  setPlottingHint(QCP::phFastPolylines, true);
  tracer_ = new QCPItemTracer(this);
  tracer_->setStyle(QCPItemTracer::tsCircle);
  tracer_->setSize(9);
  tracer_->setPen(QPen(QColor(30, 30, 30), 1.5));
  tracer_->setLayer(QStringLiteral("overlay"));  // buffered: moving it redraws no graph
  tracer_->setVisible(false);
}

CurvePlot::~CurvePlot() {
  // Panels taken out of the layout are no longer deleted with it.
  for (size_t i = 0; i < panels_.size(); ++i) {
    if (shown_[i]) continue;
    delete panels_[i].rect;
    delete panels_[i].side;
  }
}

void CurvePlot::arrangePanels() {
  std::array<bool, 3> wanted{true, false, false};
  for (const auto& [key, entry] : entries_) wanted[indexOf(entry.panel)] = true;
  if (wanted == shown_) return;
  shown_ = wanted;
  // An empty plot would take a third of the height: only panels with curves
  // are laid out, top to bottom in the fixed order.
  for (Panel& p : panels_) {
    plotLayout()->take(p.rect);
    plotLayout()->take(p.side);
  }
  plotLayout()->simplify();
  int row = 0;
  for (size_t i = 0; i < panels_.size(); ++i) {
    panels_[i].rect->setVisible(shown_[i]);
    panels_[i].side->setVisible(shown_[i]);
    if (!shown_[i]) continue;
    plotLayout()->addElement(row, 0, panels_[i].rect);
    plotLayout()->addElement(row, 1, panels_[i].side);
    ++row;
  }
  plotLayout()->setColumnStretchFactor(1, 0.001);
  labelSharedXAxis();
}

void CurvePlot::buildPanels() {
  plotLayout()->clear();  // the default rect and legend: we need three of each
  setAutoAddPlottableToLegend(false);
  addLayer(QStringLiteral("raw"), layer(QStringLiteral("main")), QCustomPlot::limBelow);
  auto* margins = new QCPMarginGroup(this);
  const std::array<QString, 3> titles{tr("Loss"), tr("Learning rate"), tr("Tokens / s")};
  QFont legendFont = font();
  // A whole point size: with a fractional one the legend's measured text was
  // narrower than the drawn text, which ran out of the box.
  legendFont.setPointSize(std::max(7, legendFont.pointSize() - 1));
  for (size_t i = 0; i < panels_.size(); ++i) {
    Panel& p = panels_[i];
    p.rect = new QCPAxisRect(this);
    p.rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    p.rect->axis(QCPAxis::atLeft)->setLabel(titles[i]);
    plotLayout()->addElement(static_cast<int>(i), 0, p.rect);
    // Legends sit beside the plots, never on the curves; the spacer below
    // keeps a short legend at the top instead of spreading its rows.
    auto* side = new QCPLayoutGrid;
    p.side = side;
    plotLayout()->addElement(static_cast<int>(i), 1, side);
    side->setAutoMargins(QCP::msNone);
    side->setMargins(QMargins(4, 12, 8, 0));  // off the widget's edge, level with the plot's top
    p.legend = new QCPLegend;
    side->addElement(0, 0, p.legend);
    side->addElement(1, 0, new QCPLayoutElement(this));
    side->setRowStretchFactor(0, 0.001);
    p.legend->setLayer(QStringLiteral("legend"));
    p.legend->setFont(legendFont);
    p.legend->setIconSize(22, 14);  // the item is as tall as this: underscores fit
    p.legend->setRowSpacing(0);
    p.legend->setBorderPen(QPen(QColor(200, 200, 200)));
    p.legend->setMargins(QMargins(5, 3, 5, 3));
    p.legend->setVisible(false);  // until the panel has a curve

    QCPAxis* x = p.rect->axis(QCPAxis::atBottom);
    connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange& range) {
              if (ownRangeChange_) return;
              following_ = false;
              applyXRange(range);  // the three plots share one x range
              emit viewChanged();
            });
    for (auto yType : {QCPAxis::atLeft, QCPAxis::atRight}) {
      connect(p.rect->axis(yType), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
              [this] {
                if (!ownRangeChange_) following_ = false;
              });
    }
  }
  plotLayout()->setColumnStretchFactor(1, 0.001);
  QCPAxis* throughputRight = panels_[2].rect->axis(QCPAxis::atRight);
  throughputRight->setLabel(tr("Products / s (dotted)"));
  setXAxisMode(xMode_);
}

std::map<CurvePlot::Key, CurvePlot::Entry>::iterator CurvePlot::dropEntry(
    std::map<Key, Entry>::iterator it) {
  // removePlottable only knows the default legend; ours are per panel.
  it->second.main->removeFromLegend(panels_[indexOf(it->second.panel)].legend);
  removeGraph(it->second.main);
  removeGraph(it->second.raw);
  return entries_.erase(it);
}

QCPAxisRect* CurvePlot::panelRect(CurvePanel panel) const {
  return panel == CurvePanel::Hidden ? nullptr : panels_[indexOf(panel)].rect;
}

void CurvePlot::setRunStyle(qint64 runId, const QString& label, const QColor& colour) {
  runStyles_[runId] = {label, colour};
  for (auto& [key, entry] : entries_) {
    if (key.first == runId) restyle(key, entry);
  }
}

void CurvePlot::removeRun(qint64 runId) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->first.first != runId) {
      ++it;
      continue;
    }
    it = dropEntry(it);
  }
  runStyles_.erase(runId);
  tracer_->setVisible(false);
  for (Panel& p : panels_) p.legend->setVisible(p.legend->itemCount() > 0);
}

void CurvePlot::clearRuns() {
  while (!runStyles_.empty()) removeRun(runStyles_.begin()->first);
}

void CurvePlot::setXAxisMode(CurveXAxis mode) {
  xMode_ = mode;
  ++viewRevision_;
  for (size_t i = 0; i < panels_.size(); ++i) {
    QCPAxis* x = panels_[i].rect->axis(QCPAxis::atBottom);
    if (mode == CurveXAxis::WallTime) {
      auto ticker = QSharedPointer<QCPAxisTickerTime>::create();
      ticker->setTimeFormat(QStringLiteral("%h:%m:%s"));
      x->setTicker(ticker);
    } else {
      x->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
  }
  labelSharedXAxis();
  following_ = true;  // the old range means nothing on the new axis
}

void CurvePlot::labelSharedXAxis() {
  const QString label = xMode_ == CurveXAxis::Step    ? tr("Step")
                        : xMode_ == CurveXAxis::Epoch ? tr("Epoch")
                                                      : tr("Wall time (h:mm:ss)");
  size_t bottom = 0;
  for (size_t i = 0; i < panels_.size(); ++i) {
    if (shown_[i]) bottom = i;
  }
  // One label for the shared axis, under the lowest panel shown.
  for (size_t i = 0; i < panels_.size(); ++i) {
    panels_[i].rect->axis(QCPAxis::atBottom)->setLabel(i == bottom ? label : QString());
  }
}

void CurvePlot::setLogScale(bool on) {
  logScale_ = on;
  QCPAxis* y = panels_[indexOf(CurvePanel::Losses)].rect->axis(QCPAxis::atLeft);
  y->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) {
    auto ticker = QSharedPointer<LossLogTicker>::create();
    ticker->setSubTickCount(0);  // 1-2-5 ticks need no unevenly spaced sub-ticks
    y->setTicker(ticker);
    y->setNumberFormat(QStringLiteral("g"));
  } else {
    y->setTicker(QSharedPointer<QCPAxisTicker>::create());
    y->setNumberFormat(QStringLiteral("gbd"));
  }
  following_ = true;  // a linear range rarely suits a log axis
}

void CurvePlot::setSmoothing(double weight) {
  smoothing_ = std::clamp(weight, 0.0, 0.999);
  ++viewRevision_;
}

void CurvePlot::setFollowing(bool on) { following_ = on; }

QList<QCPGraph*> CurvePlot::graphsOf(qint64 runId) const {
  QList<QCPGraph*> graphs;
  for (const auto& [key, entry] : entries_) {
    if (key.first == runId) graphs << entry.main;
  }
  return graphs;
}

CurvePlot::Hit CurvePlot::nearest(const QPointF& pixel, const CurveStore& store) const {
  Hit best;
  QCPAxisRect* rect = axisRectAt(pixel);
  if (!rect) return best;
  double bestDistance = std::numeric_limits<double>::infinity();
  for (const auto& [key, entry] : entries_) {
    if (panelRect(entry.panel) != rect || !entry.main->visible()) continue;
    const CurveRun* run = store.run(key.first);
    if (!run) continue;
    auto it = run->series.find(key.second);
    if (it == run->series.end()) continue;
    const CurveSeries& s = it->second;
    const bool smooth = smoothing_ > 0;
    for (size_t i : entry.shown) {
      if (i >= s.size() || (smooth && i >= entry.smoothed.size())) continue;
      const double y = smooth ? entry.smoothed[i] : s.value[i];
      const double dx = entry.main->keyAxis()->coordToPixel(xOf(s, i)) - pixel.x();
      const double dy = entry.main->valueAxis()->coordToPixel(y) - pixel.y();
      const double d = dx * dx + dy * dy;
      if (d < bestDistance) {
        bestDistance = d;
        best = Hit{true, key.first, key.second, i, y};
      }
    }
  }
  return best;
}

void CurvePlot::mark(const Hit& hit, const CurveStore& store) {
  auto entry = entries_.find({hit.runId, hit.series});
  const CurveRun* run = store.run(hit.runId);
  if (!hit.valid || entry == entries_.end() || !run) {
    tracer_->setVisible(false);
  } else {
    const CurveSeries& s = run->series.at(hit.series);
    tracer_->position->setAxes(entry->second.main->keyAxis(), entry->second.main->valueAxis());
    tracer_->setClipAxisRect(panelRect(entry->second.panel));
    tracer_->position->setCoords(xOf(s, hit.index), hit.shown);
    tracer_->setVisible(true);
  }
  layer(QStringLiteral("overlay"))->replot();
}

}  // namespace pl::ui
