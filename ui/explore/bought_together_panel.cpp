#include "ui/explore/bought_together_panel.h"

#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QVBoxLayout>

#include "store/basket_queries.h"
#include "store/product_queries.h"
#include "store/project.h"

namespace pl::ui {

namespace {

QString reasonText(const pl::Recommendation& r) {
  switch (r.reason) {
    case pl::RecommendationReason::BoughtTogether:
      return r.baskets == 1 ? QObject::tr("bought together once")
                            : QObject::tr("bought together %1 times").arg(QLocale().toString(qlonglong(r.baskets)));
    case pl::RecommendationReason::Similar:
      return QObject::tr("similar product · %1").arg(r.similarity, 0, 'f', 3);
    case pl::RecommendationReason::Popular:
      return r.baskets == 1 ? QObject::tr("popular · in 1 basket")
                            : QObject::tr("popular · in %1 baskets").arg(QLocale().toString(qlonglong(r.baskets)));
  }
  return {};
}

}  // namespace

BoughtTogetherPanel::BoughtTogetherPanel(QWidget* parent) : QWidget(parent) {
  heading_ = new QLabel;
  heading_->setObjectName(QStringLiteral("boughtTogetherHeading"));
  heading_->setWordWrap(true);
  heading_->setTextFormat(Qt::RichText);
  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("boughtTogetherList"));
  list_->setWordWrap(false);
  list_->setTextElideMode(Qt::ElideRight);
  list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  list_->setAlternatingRowColors(true);
  list_->setSpacing(2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("<b>Bought together</b>")));
  layout->addWidget(heading_);
  layout->addWidget(list_, 1);
  auto activate = [this](QListWidgetItem* item) {
    if (item) emit productActivated(item->data(Qt::UserRole).toLongLong());
  };
  connect(list_, &QListWidget::itemClicked, this, activate);
  connect(list_, &QListWidget::itemActivated, this, activate);
  clear();
  setVisible(false);
}

void BoughtTogetherPanel::setProject(pl::Project* project) {
  project_ = project;
  bool baskets = false;
  if (project_) {
    try {
      baskets = !pl::mostBought(project_->db(), 1).empty();
    } catch (const pl::StoreError&) {
      baskets = false;  // a damaged table: nothing to show, the rest of the page works
    }
  }
  hasBaskets_ = baskets;
  setVisible(baskets);
  clear();
}

void BoughtTogetherPanel::clear() {
  items_.clear();
  list_->clear();
  heading_->setText(tr("Select a product to see what is bought with it."));
}

void BoughtTogetherPanel::showFor(int64_t rowId, const QString& title) {
  clear();
  if (!project_ || !hasBaskets_) return;
  pl::RecommendOptions options;
  options.k = kItems;
  try {
    auto found = pl::recommendFor(*project_, rowId, options);
    if (!found) {
      heading_->setText(QString::fromStdString(found.error().message).toHtmlEscaped());
      return;
    }
    items_ = std::move(*found);
    std::vector<int64_t> ids;
    for (const auto& r : items_) ids.push_back(r.product);
    const auto rows = pl::loadProductRows(project_->db(), ids);
    heading_->setText(tr("With <b>%1</b>").arg(title.toHtmlEscaped()));
    for (size_t i = 0; i < items_.size(); ++i) {
      auto* item = new QListWidgetItem(list_);
      const QString name = QString::fromStdString(rows[i].title);
      item->setText(QStringLiteral("%1\n%2").arg(name, reasonText(items_[i])));
      item->setToolTip(QStringLiteral("%1\n%2").arg(name, reasonText(items_[i])));
      item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(items_[i].product));
    }
  } catch (const pl::StoreError& e) {
    heading_->setText(tr("Cannot read the baskets: %1").arg(QString::fromUtf8(e.what()).toHtmlEscaped()));
  }
}

}  // namespace pl::ui
