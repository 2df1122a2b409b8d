// CurvePlot's data side: graphs for new series, smoothing and downsampling
// of changed ones, and fitting the axes while the view follows the data.
#include <QFontMetrics>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/curves/curve_plot.h"
#include "ui/curves/curve_style.h"

namespace pl::ui {

namespace {

// Products per second run at a tenth of tokens per second: their own axis.
bool onRightAxis(const std::string& name) { return name == "products_per_s"; }

}  // namespace

CurvePlot::Entry& CurvePlot::entryFor(qint64 runId, const std::string& name) {
  Key key{runId, name};
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  Entry& entry = entries_[key];
  entry.panel = panelFor(name);
  Panel& p = panels_[indexOf(entry.panel)];
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
    it = dropEntry(it);
  }
  for (const auto& [runId, run] : store.runs()) {
    if (!runStyles_.count(runId)) continue;
    for (const auto& [name, series] : run.series) {
      if (panelFor(name) != CurvePanel::Hidden) entryFor(runId, name);
    }
  }
  arrangePanels();
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
    const int rowHeight =
        std::max(p.legend->iconSize().height(), QFontMetrics(p.legend->font()).height());
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

}  // namespace pl::ui
