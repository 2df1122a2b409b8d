#include "ui/explore/neighbours_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/explore/thumbnail_cache.h"

namespace pl::ui {

namespace {

QIcon placeholderIcon(int box) {
  QPixmap blank(box, box);
  blank.fill(QColor(0xee, 0xee, 0xee));
  return QIcon(blank);
}

}  // namespace

NeighboursPanel::NeighboursPanel(ThumbnailCache* thumbnails, QWidget* parent)
    : QWidget(parent), thumbnails_(thumbnails) {
  heading_ = new QLabel;
  heading_->setObjectName(QStringLiteral("neighboursHeading"));
  heading_->setWordWrap(true);
  heading_->setTextFormat(Qt::RichText);
  kBox_ = new QSpinBox;
  kBox_->setObjectName(QStringLiteral("neighboursK"));
  kBox_->setRange(1, 200);
  kBox_->setValue(kDefaultK);
  kBox_->setToolTip(tr("How many nearest products to list"));
  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("neighboursList"));
  list_->setIconSize(QSize(kThumbnail, kThumbnail));
  list_->setUniformItemSizes(true);
  // One line each for the title and "similarity · category", cut at the
  // right edge (the tool tip has them whole).
  list_->setWordWrap(false);
  list_->setTextElideMode(Qt::ElideRight);
  list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  list_->setAlternatingRowColors(true);

  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("<b>Nearest neighbours</b>")), 1);
  top->addWidget(new QLabel(tr("k")));
  top->addWidget(kBox_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(heading_);
  layout->addWidget(list_, 1);

  connect(kBox_, &QSpinBox::valueChanged, this, &NeighboursPanel::kChanged);
  auto activate = [this](QListWidgetItem* item) {
    if (item) emit productActivated(item->data(Qt::UserRole).toLongLong());
  };
  connect(list_, &QListWidget::itemClicked, this, activate);
  connect(list_, &QListWidget::itemActivated, this, activate);
  if (thumbnails_) connect(thumbnails_, &ThumbnailCache::ready, this, &NeighboursPanel::onThumbnailReady);
  showMessage(tr("Click a point on the map, or search a product."));
}

int NeighboursPanel::k() const { return kBox_->value(); }

void NeighboursPanel::setK(int k) { kBox_->setValue(k); }

void NeighboursPanel::showNeighbours(const QString& heading,
                                     const std::vector<NeighbourEntry>& entries) {
  entries_ = entries;
  heading_->setText(heading);
  list_->clear();
  const QIcon blank = placeholderIcon(kThumbnail);
  std::vector<int64_t> wanted;
  for (const NeighbourEntry& e : entries) {
    auto* item = new QListWidgetItem(list_);
    QString category = e.category.isEmpty() ? tr("no category") : e.category;
    item->setText(QStringLiteral("%1\n%2 · %3")
                      .arg(e.title, QString::number(e.similarity, 'f', 3), category));
    item->setToolTip(tr("%1\n%2\ncosine similarity %3").arg(e.title, category).arg(e.similarity));
    item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(e.rowId));
    QPixmap thumb = thumbnails_ ? thumbnails_->find(e.rowId) : QPixmap();
    item->setIcon(thumb.isNull() ? blank : QIcon(thumb));
    if (thumb.isNull()) wanted.push_back(e.rowId);
  }
  if (thumbnails_ && !wanted.empty()) thumbnails_->request(wanted);
}

void NeighboursPanel::showMessage(const QString& message) {
  entries_.clear();
  list_->clear();
  heading_->setText(message);
}

void NeighboursPanel::onThumbnailReady(qint64 rowId) {
  QPixmap thumb = thumbnails_->find(rowId);
  if (thumb.isNull()) return;
  for (int row = 0; row < list_->count(); ++row) {
    QListWidgetItem* item = list_->item(row);
    if (item->data(Qt::UserRole).toLongLong() == rowId) item->setIcon(QIcon(thumb));
  }
}

}  // namespace pl::ui
