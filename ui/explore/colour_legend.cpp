#include "ui/explore/colour_legend.h"

#include <QLabel>
#include <QLinearGradient>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>

namespace pl::ui {

namespace {

QIcon swatch(QRgb colour) {
  QPixmap pixmap(12, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(colour));
  painter.drawEllipse(QRectF(1, 1, 10, 10));
  return QIcon(pixmap);
}

QPixmap gradientBar(int width, int height) {
  QPixmap pixmap(width, height);
  QPainter painter(&pixmap);
  for (int x = 0; x < width; ++x) {
    painter.setPen(QColor(gradientColour(x / double(std::max(width - 1, 1)))));
    painter.drawLine(x, 0, x, height);
  }
  return pixmap;
}

}  // namespace

ColourLegend::ColourLegend(QWidget* parent) : QWidget(parent) {
  title_ = new QLabel;
  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("colourLegend"));
  list_->setSelectionMode(QAbstractItemView::NoSelection);
  list_->setToolTip(tr("Click a value to select its products"));
  scale_ = new QLabel;
  scaleLabels_ = new QLabel;
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(scale_);
  layout->addWidget(scaleLabels_);
  layout->addWidget(list_, 1);
  connect(list_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
    emit entryActivated(item->data(Qt::UserRole).toInt());
  });
  setColours({}, PointColours{});
}

void ColourLegend::setColours(const QString& field, const PointColours& colours) {
  list_->clear();
  const QLocale locale;
  title_->setText(field.isEmpty() ? tr("<b>Colour</b>: none") : tr("<b>Colour</b>: %1").arg(field.toHtmlEscaped()));
  scale_->setVisible(colours.numeric);
  scaleLabels_->setVisible(colours.numeric);
  list_->setVisible(!colours.numeric && !colours.legend.empty());
  if (colours.numeric) {
    scale_->setPixmap(gradientBar(200, 12));
    QString missing = colours.missing > 0
                          ? tr("  ·  %1 without a value (grey)").arg(locale.toString(qlonglong(colours.missing)))
                          : QString();
    scaleLabels_->setText(tr("%1 … %2 (1st–99th percentile)%3")
                              .arg(locale.toString(colours.low, 'g', 6),
                                   locale.toString(colours.high, 'g', 6), missing));
    return;
  }
  for (size_t slot = 0; slot < colours.legend.size(); ++slot) {
    const LegendEntry& entry = colours.legend[slot];
    auto* item = new QListWidgetItem(
        swatch(entry.colour),
        QStringLiteral("%1   %2").arg(entry.label, locale.toString(qlonglong(entry.count))), list_);
    item->setData(Qt::UserRole, static_cast<int>(slot));
  }
}

QString ColourLegend::entryText(int row) const {
  auto* item = list_->item(row);
  return item ? item->text() : QString();
}

}  // namespace pl::ui
