#include "ui/data_page.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "store/project.h"
#include "ui/finetune/predictions_bar.h"
#include "ui/product_detail_panel.h"
#include "ui/product_search.h"
#include "ui/product_table_model.h"
#include "ui/project_summary_bar.h"

namespace pl::ui {

namespace {

QTableView* makeTable(ProductTableModel* model) {
  auto* table = new QTableView;
  table->setModel(model);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  // Several rows: a hand-picked subset for the Fine-tune page.
  table->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table->setAlternatingRowColors(true);
  table->setWordWrap(false);
  table->setSortingEnabled(false);  // the store returns catalog order; no silent re-sorts
  table->setTextElideMode(Qt::ElideRight);
  table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  // Fixed row heights let the view map a scroll position to a row without
  // asking the model about every row in between: essential at 1M rows.
  QHeaderView* rows = table->verticalHeader();
  rows->setSectionResizeMode(QHeaderView::Fixed);
  rows->setDefaultSectionSize(table->fontMetrics().height() + 8);
  rows->hide();
  QHeaderView* columns = table->horizontalHeader();
  columns->setHighlightSections(false);
  columns->setSectionResizeMode(QHeaderView::Interactive);
  columns->setSectionResizeMode(ProductTableModel::TitleColumn, QHeaderView::Stretch);
  table->setColumnWidth(ProductTableModel::IdColumn, 90);
  table->setColumnWidth(ProductTableModel::BrandColumn, 110);
  table->setColumnWidth(ProductTableModel::CategoryColumn, 230);
  table->setColumnWidth(ProductTableModel::PriceColumn, 80);
  table->setColumnWidth(ProductTableModel::ImageColumn, 60);
  return table;
}

QString noProjectText() {
  return QObject::tr(
      "<h2>No project open</h2><p>Create one with <b>File › New Project…</b> (Ctrl+N), open one "
      "with <b>File › Open Project…</b> (Ctrl+O), or open the Fashion-MNIST demo with "
      "<b>File › Open Demo Project</b>.</p>");
}

}  // namespace

DataPage::DataPage(QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  stack_ = new QStackedWidget;
  outer->addWidget(stack_);

  placeholder_ = new QLabel;
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
  stack_->addWidget(placeholder_);

  auto* content = new QWidget;
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(8, 8, 8, 8);
  summary_ = new ProjectSummaryBar;
  layout->addWidget(summary_);

  auto* searchRow = new QHBoxLayout;
  searchBox_ = new QLineEdit;
  searchBox_->setPlaceholderText(tr("Search title, id, brand or category (Ctrl+F)"));
  searchBox_->setClearButtonEnabled(true);
  searchRow->addWidget(searchBox_, 1);
  countLabel_ = new QLabel;
  countLabel_->setMinimumWidth(200);
  countLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  searchRow->addWidget(countLabel_);
  layout->addLayout(searchRow);

  model_ = new ProductTableModel(this);
  search_ = new ProductSearch(this);
  table_ = makeTable(model_);
  predictions_ = new PredictionsBar(model_, table_);
  searchRow->insertWidget(1, predictions_);
  detail_ = new ProductDetailPanel;
  detail_->setMinimumWidth(280);
  splitter_ = new QSplitter(Qt::Horizontal);
  splitter_->addWidget(table_);
  splitter_->addWidget(detail_);
  splitter_->setStretchFactor(0, 3);
  splitter_->setStretchFactor(1, 1);
  splitter_->setChildrenCollapsible(false);
  layout->addWidget(splitter_, 1);
  stack_->addWidget(content);

  connect(searchBox_, &QLineEdit::textChanged, search_, &ProductSearch::setText);
  connect(search_, &ProductSearch::searchStarted, this, [this] {
    countLabel_->setText(tr("Searching…"));
  });
  connect(search_, &ProductSearch::resultsReady, this, &DataPage::onResults);
  connect(search_, &ProductSearch::searchFailed, this, [this](const QString& message) {
    countLabel_->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                             .arg(message.toHtmlEscaped()));
  });
  connect(summary_, &ProjectSummaryBar::infoReady, this, [this](const pl::ProjectInfo& info) {
    hideEmptyColumns(info);
    total_ = info.products;
    updateCountLabel();
    emit productCountChanged(total_);
  });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &DataPage::onCurrentRowChanged);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    std::vector<int64_t> rowIds;
    for (const QItemSelectionRange& range : table_->selectionModel()->selection()) {
      for (int row = range.top(); row <= range.bottom(); ++row) rowIds.push_back(model_->rowIdAt(row));
    }
    emit productsSelected(rowIds);
  });
  setProject(nullptr);
}

void DataPage::setProject(pl::Project* project) {
  project_ = project;
  total_ = -1;
  model_->setRows(nullptr, {});
  predictions_->setDatabase(project ? &project->db() : nullptr);
  search_->setProjectPath(project ? QString::fromStdString(project->path()) : QString());
  if (!project) showPlaceholder(noProjectText());
  stack_->setCurrentIndex(project ? 1 : 0);
  if (project) reload();
  else summary_->refresh({});
}

void DataPage::reload() {
  if (!project_) return;
  QString path = QString::fromStdString(project_->path());
  detail_->showMessage(tr("Loading products…"));
  summary_->refresh(path);
  search_->refresh();
}

void DataPage::reloadPredictions(const QString& run) { predictions_->reload(run); }

void DataPage::showPlaceholder(const QString& html) {
  placeholder_->setText(html);
  stack_->setCurrentIndex(0);
}

void DataPage::hideEmptyColumns(const pl::ProjectInfo& info) {
  // A catalog without brands or prices (Fashion-MNIST, Myntra) would
  // otherwise show a column of blanks; the detail panel still lists them.
  auto empty = [&](const char* field) {
    auto it = info.withField.find(field);
    return info.products > 0 && it != info.withField.end() && it->second == 0;
  };
  table_->setColumnHidden(ProductTableModel::BrandColumn, empty("brand"));
  table_->setColumnHidden(ProductTableModel::PriceColumn, empty("price"));
}

void DataPage::focusSearch() {
  searchBox_->setFocus(Qt::ShortcutFocusReason);
  searchBox_->selectAll();
}

void DataPage::onResults(const QString& text, const std::vector<int64_t>& rowIds) {
  if (!project_) return;
  int64_t keep = detail_->rowId();
  model_->setRows(&project_->db(), rowIds);
  if (text.trimmed().isEmpty()) total_ = static_cast<qint64>(rowIds.size());
  updateCountLabel();
  int row = keep ? model_->rowOf(keep) : -1;
  if (row < 0 && model_->rowCount() > 0) row = 0;
  if (row >= 0) {
    table_->selectRow(row);
    table_->scrollTo(model_->index(row, 0));
  } else if (total_ == 0) {
    detail_->showMessage(tr("This project has no products yet. Import a catalog with "
                            "<b>File › Import Catalog…</b> (Ctrl+I)."));
  } else {
    detail_->showMessage(tr("No product matches “%1”.").arg(text.toHtmlEscaped()));
  }
  emit rowsShown(model_->rowCount());
}

void DataPage::onCurrentRowChanged() {
  int row = table_->currentIndex().row();
  int64_t rowId = model_->rowIdAt(row);
  if (!project_ || rowId == 0) return;
  if (rowId != detail_->rowId()) detail_->showProduct(project_->db(), rowId);
}

void DataPage::updateCountLabel() {
  QLocale locale;
  QString shown = locale.toString(model_->rowCount());
  if (total_ < 0 || model_->rowCount() == total_) {
    countLabel_->setText(tr("%1 products").arg(shown));
  } else {
    countLabel_->setText(tr("%1 of %2 products").arg(shown, locale.toString(total_)));
  }
}

void DataPage::saveState(QSettings& settings) const {
  settings.setValue(QStringLiteral("dataPage/splitter"), splitter_->saveState());
}

void DataPage::restoreState(const QSettings& settings) {
  splitter_->restoreState(settings.value(QStringLiteral("dataPage/splitter")).toByteArray());
}

}  // namespace pl::ui
