#include "ui/curves/training_curves_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "ui/curves/curve_export.h"
#include "ui/curves/curve_style.h"

namespace pl::ui {

namespace {

// PlotJuggler replots every 40 ms; 50 ms keeps us at the agreed 20 per second.
constexpr int kReplotIntervalMs = 50;
constexpr int kSlowestReplotIntervalMs = 2000;
// Replots may use at most 1/kReplotDutyDivisor of the GUI thread: on a 2-core
// machine every millisecond spent drawing is taken from training (issue 4 asks
// for at most 5 % slowdown with the window open).
constexpr int kReplotDutyDivisor = 20;

QString wallText(double seconds) {
  if (!std::isfinite(seconds)) return QStringLiteral("–");
  const auto whole = static_cast<qint64>(seconds);
  return QStringLiteral("%1:%2:%3")
      .arg(whole / 3600)
      .arg(whole / 60 % 60, 2, 10, QLatin1Char('0'))
      .arg(std::fmod(seconds, 60.0), 4, 'f', 1, QLatin1Char('0'));
}

}  // namespace

TrainingCurvesView::TrainingCurvesView(QWidget* parent) : QWidget(parent), plot_(new CurvePlot) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addWidget(buildToolbar());
  layout->addWidget(plot_, 1);
  readout_ =
      new QLabel(tr("Point at a curve to read its exact values. Drag to pan, wheel to zoom."));
  readout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  readout_->setContentsMargins(6, 0, 6, 2);
  layout->addWidget(readout_);

  plot_->setMouseTracking(true);
  plot_->setMinimumHeight(240);  // three plots still readable; the page sets the rest
  connect(plot_, &QCustomPlot::mouseMove, this, &TrainingCurvesView::onMouseMove);
  connect(plot_, &CurvePlot::viewChanged, this, &TrainingCurvesView::scheduleReplot);
  timer_.setSingleShot(true);
  timer_.setInterval(kReplotIntervalMs);
  connect(&timer_, &QTimer::timeout, this, &TrainingCurvesView::onReplotTimer);
  setSmoothing(0.6);  // TensorBoard's default
}

QWidget* TrainingCurvesView::buildToolbar() {
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(6, 4, 6, 0);
  row->addWidget(new QLabel(tr("Smoothing")));
  smoothingSlider_ = new QSlider(Qt::Horizontal);
  smoothingSlider_->setRange(0, 99);
  smoothingSlider_->setFixedWidth(140);
  smoothingSlider_->setToolTip(
      tr("Exponential moving average as in TensorBoard; the raw values stay faint behind"));
  smoothingValue_ = new QLabel;
  smoothingValue_->setMinimumWidth(
      smoothingValue_->fontMetrics().horizontalAdvance(QStringLiteral("0.00")));
  row->addWidget(smoothingSlider_);
  row->addWidget(smoothingValue_);
  row->addSpacing(12);
  logScaleBox_ = new QCheckBox(tr("Log scale"));
  logScaleBox_->setToolTip(tr("Logarithmic loss axis: late, small improvements stay visible"));
  row->addWidget(logScaleBox_);
  row->addSpacing(12);
  row->addWidget(new QLabel(tr("X axis")));
  xAxisBox_ = new QComboBox;
  xAxisBox_->addItem(tr("Step"), int(CurveXAxis::Step));
  xAxisBox_->addItem(tr("Epoch"), int(CurveXAxis::Epoch));
  xAxisBox_->addItem(tr("Wall time"), int(CurveXAxis::WallTime));
  row->addWidget(xAxisBox_);
  row->addStretch(1);
  auto* reset = new QToolButton;
  reset->setText(tr("Reset view"));
  reset->setToolTip(tr("Fit all curves and follow new points again"));
  row->addWidget(reset);
  auto* exportButton = new QToolButton;
  exportButton->setText(tr("Export"));
  exportButton->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(exportButton);
  menu->addAction(tr("Plot as PNG…"), this,
                  [this] { exportWithDialog(tr("PNG image (*.png)"), QStringLiteral("png")); });
  menu->addAction(tr("Plot as PDF…"), this,
                  [this] { exportWithDialog(tr("PDF document (*.pdf)"), QStringLiteral("pdf")); });
  menu->addAction(tr("Series as CSV…"), this,
                  [this] { exportWithDialog(tr("CSV file (*.csv)"), QStringLiteral("csv")); });
  exportButton->setMenu(menu);
  row->addWidget(exportButton);

  connect(smoothingSlider_, &QSlider::valueChanged, this,
          [this](int value) { setSmoothing(value / 100.0); });
  connect(logScaleBox_, &QCheckBox::toggled, this, &TrainingCurvesView::setLogScale);
  connect(xAxisBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this](int) { setXAxis(static_cast<CurveXAxis>(xAxisBox_->currentData().toInt())); });
  connect(reset, &QToolButton::clicked, this, &TrainingCurvesView::resetView);
  return bar;
}

void TrainingCurvesView::addRun(qint64 runId, const QString& label) {
  store_.addRun(runId);
  labels_[runId] = label;
  if (!colours_.count(runId)) {
    // The first palette colour no shown run has: a run keeps its colour while shown.
    int index = 0;
    auto used = [&](int i) {
      for (const auto& [id, c] : colours_) {
        if (c == i) return true;
      }
      return false;
    };
    while (used(index)) ++index;
    colours_[runId] = index;
  }
  plot_->setRunStyle(runId, label, runColor(runId));
  scheduleReplot();
}

void TrainingCurvesView::removeRun(qint64 runId) {
  store_.removeRun(runId);
  labels_.erase(runId);
  colours_.erase(runId);
  plot_->removeRun(runId);
  scheduleReplot();
}

bool TrainingCurvesView::hasRun(qint64 runId) const { return store_.hasRun(runId); }

void TrainingCurvesView::clear() {
  store_.clear();
  labels_.clear();
  colours_.clear();
  plot_->clearRuns();
  scheduleReplot();
}

void TrainingCurvesView::appendMetrics(qint64 runId, qint64 step,
                                       const std::map<std::string, double>& values) {
  if (!store_.hasRun(runId)) return;
  store_.append(runId, step, values);
  scheduleReplot();
}

void TrainingCurvesView::loadStoredMetrics(qint64 runId,
                                           const std::vector<pl::MetricPoint>& points) {
  if (!hasRun(runId)) addRun(runId, tr("Run %1").arg(runId));
  store_.load(runId, points);
  scheduleReplot();
}

void TrainingCurvesView::setSmoothing(double weight) {
  weight = std::clamp(weight, 0.0, 0.99);
  const QSignalBlocker block(smoothingSlider_);
  smoothingSlider_->setValue(static_cast<int>(std::lround(weight * 100)));
  smoothingValue_->setText(QString::number(weight, 'f', 2));
  plot_->setSmoothing(weight);
  scheduleReplot();
}

void TrainingCurvesView::setLogScale(bool on) {
  const QSignalBlocker block(logScaleBox_);
  logScaleBox_->setChecked(on);
  plot_->setLogScale(on);
  scheduleReplot();
}

void TrainingCurvesView::setXAxis(CurveXAxis mode) {
  const QSignalBlocker block(xAxisBox_);
  xAxisBox_->setCurrentIndex(xAxisBox_->findData(int(mode)));
  plot_->setXAxisMode(mode);
  scheduleReplot();
}

void TrainingCurvesView::resetView() {
  plot_->setFollowing(true);
  scheduleReplot();
}

QColor TrainingCurvesView::runColor(qint64 runId) const {
  auto it = colours_.find(runId);
  return it == colours_.end() ? QColor() : paletteColor(it->second);
}

QString TrainingCurvesView::runLabel(qint64 runId) const {
  auto it = labels_.find(runId);
  return it == labels_.end() ? QString() : it->second;
}

void TrainingCurvesView::scheduleReplot() {
  dirty_ = true;
  // A hidden view (another page is in front) spends nothing; showEvent catches up.
  if (isVisible() && !timer_.isActive()) timer_.start();
}

void TrainingCurvesView::onReplotTimer() {
  if (isVisible()) replotNow();
}

void TrainingCurvesView::replotNow() {
  timer_.stop();
  dirty_ = false;
  QElapsedTimer clock;
  clock.start();
  plot_->sync(store_);
  plot_->replot();
  ++replotCount_;
  // Many long series on a slow machine: wait longer before the next replot,
  // so the plots never take more than a twentieth of the GUI thread.
  const auto cost = static_cast<int>(clock.elapsed());
  timer_.setInterval(
      std::clamp(kReplotDutyDivisor * cost, kReplotIntervalMs, kSlowestReplotIntervalMs));
}

void TrainingCurvesView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (dirty_) scheduleReplot();
}

void TrainingCurvesView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  scheduleReplot();  // the downsampling follows the plot's width in pixels
}

void TrainingCurvesView::onMouseMove(QMouseEvent* event) {
  if (event->buttons() != Qt::NoButton) return;  // dragging, not reading
  hoverAt(event->position());
}

QString TrainingCurvesView::hoverAt(const QPointF& pixel) {
  const CurvePlot::Hit hit = plot_->nearest(pixel, store_);
  plot_->mark(hit, store_);
  if (hit.valid) readout_->setText(describe(hit));
  return hit.valid ? readout_->text() : QString();
}

QString TrainingCurvesView::readout() const { return readout_->text(); }

QString TrainingCurvesView::describe(const CurvePlot::Hit& hit) const {
  const CurveSeries& s = store_.run(hit.runId)->series.at(hit.series);
  // Seven significant digits: the trainer's values are float32, so this is exact.
  QString text =
      tr("%1 · %2 — step %3 · epoch %4 · %5 · value %6")
          .arg(runLabel(hit.runId), QString::fromStdString(hit.series))
          .arg(static_cast<qint64>(s.step[hit.index]))
          .arg(std::isfinite(s.epoch[hit.index]) ? QString::number(s.epoch[hit.index], 'f', 3)
                                                 : QStringLiteral("–"))
          .arg(wallText(s.wall[hit.index]))
          .arg(QString::number(s.value[hit.index], 'g', 7));
  if (plot_->smoothing() > 0) text += tr(" (smoothed %1)").arg(QString::number(hit.shown, 'g', 7));
  return text;
}

bool TrainingCurvesView::exportPng(const QString& path, QString* error) {
  plot_->mark(CurvePlot::Hit{}, store_);  // the hover marker is no part of the figure
  replotNow();
  const bool shown = plot_->isVisible();
  if (plot_->savePng(path, shown ? 0 : 1200, shown ? 0 : 900)) return true;
  if (error)
    *error = tr("Cannot write the image %1 (does the folder exist and allow writing?)").arg(path);
  return false;
}

bool TrainingCurvesView::exportPdf(const QString& path, QString* error) {
  plot_->mark(CurvePlot::Hit{}, store_);  // the hover marker is no part of the figure
  replotNow();
  const bool shown = plot_->isVisible();
  if (plot_->savePdf(path, shown ? 0 : 1200, shown ? 0 : 900)) return true;
  if (error)
    *error = tr("Cannot write the PDF %1 (does the folder exist and allow writing?)").arg(path);
  return false;
}

bool TrainingCurvesView::exportCsv(const QString& path, QString* error) const {
  return writeCurvesCsv(store_, labels_, path, error);
}

void TrainingCurvesView::exportWithDialog(const QString& filter, const QString& suffix) {
  QString path = QFileDialog::getSaveFileName(this, tr("Export training curves"),
                                              QStringLiteral("training-curves.") + suffix, filter);
  if (path.isEmpty()) return;
  if (!path.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive))
    path += QLatin1Char('.') + suffix;
  QString error;
  const bool ok = suffix == QLatin1String("png")   ? exportPng(path, &error)
                  : suffix == QLatin1String("pdf") ? exportPdf(path, &error)
                                                   : exportCsv(path, &error);
  if (!ok) QMessageBox::warning(this, tr("Export training curves"), error);
}

}  // namespace pl::ui
