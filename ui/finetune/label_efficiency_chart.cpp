#include "ui/finetune/label_efficiency_chart.h"

#include <qcustomplot.h>

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/curves/curve_style.h"

namespace pl::ui {

namespace {

// The fractions the Fine-tune page offers, as the log axis' ticks.
const double kTicks[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};

QString percent(double fraction) {
  const double p = fraction * 100;
  return QLocale().toString(p, 'g', p < 1 ? 2 : 3) + QLatin1Char('%');
}

// A fixed look per method, so the same method keeps its colour whatever
// else is on the chart (and in a report's next figure).
struct Look {
  int colour;
  QCPScatterStyle::ScatterShape shape;
  Qt::PenStyle line;
};

Look lookOf(const std::string& key) {
  if (key == "pretrained-probe") return {0, QCPScatterStyle::ssCircle, Qt::SolidLine};
  if (key == "pretrained-full") return {1, QCPScatterStyle::ssSquare, Qt::SolidLine};
  if (key == "scratch-full") return {2, QCPScatterStyle::ssTriangle, Qt::SolidLine};
  if (key == "tfidf-lr") return {3, QCPScatterStyle::ssDiamond, Qt::DashLine};
  return {4, QCPScatterStyle::ssCross, Qt::DashLine};
}

}  // namespace

LabelEfficiencyChart::LabelEfficiencyChart(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot;
  plot_->setObjectName(QStringLiteral("labelEfficiencyPlot"));
  plot_->setMinimumHeight(220);
  plot_->setToolTip(QString());
  plot_->setMouseTracking(true);
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(
      0, 0, new QCPTextElement(plot_, QString(), QFont(font().family(), 11, QFont::Bold)));

  QCPAxis* x = plot_->xAxis;
  x->setScaleType(QCPAxis::stLogarithmic);
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (double t : kTicks) ticker->addTick(t, percent(t));
  x->setTicker(ticker);
  x->setRange(0.008, 1.25);
  x->setLabel(tr("Share of the labelled training products used (log scale)"));
  x->grid()->setSubGridVisible(false);
  QCPAxis* y = plot_->yAxis;
  y->setLabel(tr("Test accuracy"));
  y->setRange(0, 1);
  // The legend goes under the plot, two entries a row: inside, it hid
  // points wherever the lines happened to run.
  plot_->axisRect()->insetLayout()->take(plot_->legend);
  plot_->axisRect()->insetLayout()->simplify();
  auto* legendRow = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(2, 0, legendRow);
  legendRow->setMargins(QMargins(6, 0, 6, 6));
  legendRow->addElement(0, 0, plot_->legend);
  plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot_->legend->setWrap(2);
  plot_->legend->setBorderPen(Qt::NoPen);
  plot_->legend->setVisible(true);
  plot_->plotLayout()->setRowStretchFactor(2, 0.001);

  note_ = new QLabel;
  note_->setWordWrap(true);
  note_->setStyleSheet(QStringLiteral("color: palette(mid);"));
  exportButton_ = new QPushButton(tr("Export image…"));
  exportButton_->setToolTip(tr("Save the chart as PNG or PDF, e.g. for a report"));
  auto* row = new QHBoxLayout;
  row->addWidget(note_, 1);
  row->addWidget(exportButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_, 1);
  layout->addLayout(row);
  connect(exportButton_, &QPushButton::clicked, this, &LabelEfficiencyChart::exportWithDialog);
  connect(plot_, &QCustomPlot::mouseMove, this, &LabelEfficiencyChart::onMouseMove);
  setResults({}, QString(), QString());
}

void LabelEfficiencyChart::setResults(const std::vector<pl::EvalResult>& results,
                                      const QString& label, const QString& title) {
  label_ = label;
  series_ = efficiencySeries(results, label.toStdString());
  plot_->clearGraphs();
  double low = 1, high = 0;
  for (const EfficiencySeries& s : series_) {
    const Look look = lookOf(s.key);
    QCPGraph* graph = plot_->addGraph();
    graph->setName(QString::fromStdString(s.name));
    QPen pen(paletteColor(look.colour), 2, look.line);
    graph->setPen(pen);
    graph->setScatterStyle(QCPScatterStyle(look.shape, pen.color(), pen.color(), 8));
    for (const EfficiencyPoint& p : s.points) {
      graph->addData(p.fraction, p.accuracy);
      low = std::min(low, p.accuracy);
      high = std::max(high, p.accuracy);
    }
  }
  // Room around the points, inside [0, 1]; a tenth of a unit at least so
  // near-equal methods are not blown up into a dramatic gap.
  if (high >= low) {
    const double pad = std::max(0.05, (high - low) * 0.15);
    double top = std::min(1.0, high + pad), bottom = std::max(0.0, low - pad);
    if (top - bottom < 0.1) bottom = std::max(0.0, top - 0.1);
    plot_->yAxis->setRange(bottom, top);
  } else {
    plot_->yAxis->setRange(0, 1);
  }
  auto* heading = static_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0));
  heading->setText(title.isEmpty() ? tr("Label efficiency")
                                   : tr("Label efficiency — %1").arg(title));
  plot_->legend->setVisible(!series_.empty());
  if (label.isEmpty()) {
    note_->setText(tr("Choose a label to see its chart."));
  } else if (series_.empty()) {
    note_->setText(tr("No scored fine-tunes or probes for %1 yet: fine-tune at a few fractions, "
                      "or run the label-efficiency study.")
                       .arg(title.toHtmlEscaped()));
  } else {
    note_->setText(tr("Scores on the label's fixed test split. Hover a point for its run."));
  }
  plot_->replot();
}

QString LabelEfficiencyChart::hoverAt(const QPointF& pixel) const {
  double best = 12 * 12;  // pixels², the reach of a marker
  QString text;
  for (int g = 0; g < plot_->graphCount() && g < static_cast<int>(series_.size()); ++g) {
    const EfficiencySeries& s = series_[static_cast<size_t>(g)];
    for (const EfficiencyPoint& p : s.points) {
      const QPointF at = plot_->graph(g)->coordsToPixels(p.fraction, p.accuracy);
      const double d = std::pow(at.x() - pixel.x(), 2) + std::pow(at.y() - pixel.y(), 2);
      if (d > best) continue;
      best = d;
      text = tr("%1 — %2 labelled (%3 products): accuracy %4 — %5")
                 .arg(QString::fromStdString(s.name), percent(p.fraction))
                 .arg(QLocale().toString(static_cast<qlonglong>(p.trainItems)))
                 .arg(QString::number(p.accuracy, 'f', 4), QString::fromStdString(p.subject));
    }
  }
  return text;
}

void LabelEfficiencyChart::onMouseMove(QMouseEvent* event) {
  const QString text = hoverAt(event->position());
  if (text.isEmpty()) {
    QToolTip::hideText();
  } else {
    QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
  }
}

bool LabelEfficiencyChart::exportImage(const QString& path, QString* error) {
  const bool shown = plot_->isVisible();
  const int w = shown ? 0 : 1200, h = shown ? 0 : 800;
  const bool ok = path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)
                      ? plot_->savePdf(path, w, h)
                      : plot_->savePng(path, w, h);
  if (!ok && error) {
    *error = tr("Cannot write the image %1 (does the folder exist and allow writing?)").arg(path);
  }
  return ok;
}

void LabelEfficiencyChart::exportWithDialog() {
  QString name = QStringLiteral("label-efficiency-%1.png")
                     .arg(label_.isEmpty() ? QStringLiteral("chart") : label_);
  name.replace(QRegularExpression(QStringLiteral("[/\\\\:*?\"<>| ]")), QStringLiteral("_"));
  QString path = QFileDialog::getSaveFileName(this, tr("Export label-efficiency chart"), name,
                                              tr("PNG image (*.png);;PDF (*.pdf)"));
  if (path.isEmpty()) return;
  if (!path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive) &&
      !path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
    path += QStringLiteral(".png");
  }
  QString error;
  if (!exportImage(path, &error)) QMessageBox::warning(this, tr("Export chart"), error);
}

}  // namespace pl::ui
