#include "ui/curves/curve_plot.h"

#include <algorithm>
#include <cmath>

#include "ui/curves/curve_style.h"

namespace pl::ui {

namespace {

size_t panelIndex(CurvePanel panel) { return static_cast<size_t>(panel); }

bool onRightAxis(const std::string& name) { return name == "products_per_s"; }

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
    for (double decade = std::pow(10.0, std::floor(std::log10(range.lower)));
         decade <= range.upper; decade *= 10) {
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

QCPAxisRect* CurvePlot::panelRect(CurvePanel panel) const {
  return panel == CurvePanel::Hidden ? nullptr : panels_[panelIndex(panel)].rect;
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
    // removePlottable only knows the default legend; ours are per panel.
    it->second.main->removeFromLegend(panels_[panelIndex(it->second.panel)].legend);
    removeGraph(it->second.main);
    removeGraph(it->second.raw);
    it = entries_.erase(it);
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
    const bool bottom = i + 1 == panels_.size();  // one label for the shared axis
    const QString label = mode == CurveXAxis::Step    ? tr("Step")
                          : mode == CurveXAxis::Epoch ? tr("Epoch")
                                                      : tr("Wall time (h:mm:ss)");
    x->setLabel(bottom ? label : QString());
  }
  following_ = true;  // the old range means nothing on the new axis
}

void CurvePlot::setLogScale(bool on) {
  logScale_ = on;
  QCPAxis* y = panels_[panelIndex(CurvePanel::Losses)].rect->axis(QCPAxis::atLeft);
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

CurvePlot::Entry& CurvePlot::entryFor(qint64 runId, const std::string& name) {
  Key key{runId, name};
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  Entry& entry = entries_[key];
  entry.panel = panelFor(name);
  Panel& p = panels_[panelIndex(entry.panel)];
  QCPAxis* x = p.rect->axis(QCPAxis::atBottom);
  QCPAxis* y = p.rect->axis(onRightAxis(name) ? QCPAxis::atRight : QCPAxis::atLeft);
  if (onRightAxis(name)) y->setVisible(true);
  entry.raw = addGraph(x, y);
  entry.raw->setLayer(QStringLiteral("raw"));  // behind every smoothed line
  entry.main = addGraph(x, y);
  entry.main->addToLegend(p.legend);
  p.legend->setVisible(true);
  restyle(key, entry);
  return entry;
}

void CurvePlot::restyle(const Key& key, Entry& entry) {
  auto style = runStyles_.find(key.first);
  if (style == runStyles_.end()) return;
  const QPen pen = seriesPen(style->second.second, key.second);
  entry.main->setPen(pen);
  entry.raw->setPen(rawPen(pen));
  // Long run names would widen the legend at the plots' expense; the hover
  // read-out and the CSV carry the full name.
  QString label = style->second.first;
  if (label.size() > 24) label = label.left(23) + QChar(0x2026);
  entry.main->setName(label + QStringLiteral(": ") + QString::fromStdString(key.second));
}

double CurvePlot::xOf(const CurveSeries& series, size_t index) const {
  switch (xMode_) {
    case CurveXAxis::Epoch:
      return series.epoch[index];
    case CurveXAxis::WallTime:
      return series.wall[index];
    case CurveXAxis::Step:
      break;
  }
  return series.step[index];
}

void CurvePlot::sync(const CurveStore& store) {
  // Graphs for new series; entries whose series went away (a run reloaded).
  for (auto it = entries_.begin(); it != entries_.end();) {
    const CurveRun* run = store.run(it->first.first);
    if (run && run->series.count(it->first.second)) {
      ++it;
      continue;
    }
    it->second.main->removeFromLegend(panels_[panelIndex(it->second.panel)].legend);
    removeGraph(it->second.main);
    removeGraph(it->second.raw);
    it = entries_.erase(it);
  }
  for (const auto& [runId, run] : store.runs()) {
    if (!runStyles_.count(runId)) continue;
    for (const auto& [name, series] : run.series) {
      if (panelFor(name) != CurvePanel::Hidden) entryFor(runId, name);
    }
  }
  wrapLegends();
  if (following_) fitX(store);
  updateLayout();  // new legend entries narrow the plots: downsample for their real width
  downsampleAll(store);
  if (following_) {
    fitY();
    // New y tick labels can move the margins; the extremes survive downsampling,
    // so the y ranges stay right and only the bucket count needs another pass.
    const int width = builtWidth_;
    updateLayout();
    if (bucketWidth() != width) downsampleAll(store);
  }
}

void CurvePlot::wrapLegends() {
  // A legend taller than its plot would squeeze the other plots: past the
  // rows that fit, entries continue in another column.
  for (Panel& p : panels_) {
    const int rowHeight = std::max(p.legend->iconSize().height(), QFontMetrics(p.legend->font()).height());
    const int height = p.rect->outerRect().height() - 16;
    const int rows = height > 0 ? std::max(3, height / std::max(1, rowHeight)) : 0;
    if (rows != p.legend->wrap()) {
      p.legend->setWrap(rows);
      p.legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
    }
  }
}

int CurvePlot::bucketWidth() const {
  // A plot never shown has no layout yet; exports of a hidden view draw about this wide.
  constexpr int kHiddenWidth = 1000;
  return isVisible() ? std::max(50, panels_[0].rect->width()) : kHiddenWidth;
}

void CurvePlot::downsampleAll(const CurveStore& store) {
  const QCPRange range = panels_[0].rect->axis(QCPAxis::atBottom)->range();
  const int width = bucketWidth();
  if (range != builtRange_ || width != builtWidth_) {
    ++viewRevision_;
    builtRange_ = range;
    builtWidth_ = width;
  }
  double x0 = range.lower;
  double x1 = range.upper;
  int buckets = width;
  if (!following_) {
    // Points a range to each side too, so a drag shows curves before the next sync.
    x0 -= range.size();
    x1 += range.size();
    buckets *= 3;
  }
  for (auto& [key, entry] : entries_) {
    updateEntry(entry, store.run(key.first)->series.at(key.second), x0, x1, buckets);
  }
}

void CurvePlot::updateEntry(Entry& entry, const CurveSeries& series, double x0, double x1,
                            int buckets) {
  if (entry.builtRevision == series.revision && entry.builtView == viewRevision_) return;
  const bool smooth = smoothing_ > 0;
  if (smooth) {
    // Extend the running EMA; start over when points were replaced or the weight moved.
    if (entry.smoother.weight() != smoothing_ || entry.builtResets != series.resets ||
        entry.smoothed.size() > series.size()) {
      entry.smoother = EmaSmoother(smoothing_);
      entry.smoothed.clear();
      entry.builtResets = series.resets;
    }
    for (size_t i = entry.smoothed.size(); i < series.size(); ++i) {
      entry.smoothed.push_back(entry.smoother.push(series.value[i]));
    }
  }
  const std::vector<double>& xs = xMode_ == CurveXAxis::Epoch      ? series.epoch
                                  : xMode_ == CurveXAxis::WallTime ? series.wall
                                                                   : series.step;
  entry.shown = downsampleMinMax(xs, series.value, x0, x1, buckets);
  QVector<double> keys;
  QVector<double> raw;
  QVector<double> main;
  keys.reserve(static_cast<qsizetype>(entry.shown.size()));
  raw.reserve(keys.capacity());
  main.reserve(keys.capacity());
  for (size_t i : entry.shown) {
    keys.push_back(xs[i]);
    raw.push_back(series.value[i]);
    main.push_back(smooth ? entry.smoothed[i] : series.value[i]);
  }
  entry.main->setData(keys, main);
  entry.raw->setData(keys, raw);
  entry.raw->setVisible(smooth);
  entry.builtRevision = series.revision;
  entry.builtView = viewRevision_;
}

void CurvePlot::fitX(const CurveStore& store) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto& [key, entry] : entries_) {
    const CurveSeries& s = store.run(key.first)->series.at(key.second);
    // x grows with the step in every mode, so the ends are the first and
    // last finite values (epochs are NaN before a run's first report).
    for (size_t i = 0; i < s.size(); ++i) {
      if (double x = xOf(s, i); std::isfinite(x)) {
        lo = std::min(lo, x);
        break;
      }
    }
    for (size_t i = s.size(); i-- > 0;) {
      if (double x = xOf(s, i); std::isfinite(x)) {
        hi = std::max(hi, x);
        break;
      }
    }
  }
  if (!(lo <= hi)) return;  // nothing to show yet
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  applyXRange(QCPRange(lo, hi));
}

void CurvePlot::fitY() {
  ownRangeChange_ = true;
  for (Panel& p : panels_) {
    for (auto yType : {QCPAxis::atLeft, QCPAxis::atRight}) {
      QCPAxis* y = p.rect->axis(yType);
      if (y->graphs().isEmpty()) continue;
      y->rescale(true);
      const QCPRange r = y->range();
      if (y->scaleType() == QCPAxis::stLogarithmic) {
        y->setRange(r.lower / 1.15, r.upper * 1.15);
      } else {
        const double pad = r.size() > 0 ? r.size() * 0.06 : std::max(std::abs(r.lower) * 0.1, 1e-9);
        y->setRange(r.lower - pad, r.upper + pad);
      }
    }
  }
  ownRangeChange_ = false;
}

void CurvePlot::applyXRange(const QCPRange& range) {
  const bool wasOwn = ownRangeChange_;
  ownRangeChange_ = true;
  for (Panel& p : panels_) p.rect->axis(QCPAxis::atBottom)->setRange(range);
  ownRangeChange_ = wasOwn;
}

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
