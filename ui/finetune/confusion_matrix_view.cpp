#include "ui/finetune/confusion_matrix_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace pl::ui {

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
  title_ = new QLabel;
  title_->setWordWrap(true);
  model_ = new QStandardItemModel(this);
  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("confusionMatrix"));
  table_->setModel(model_);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->horizontalHeader()->setDefaultSectionSize(48);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(title_);
  layout->addWidget(table_, 1);
  clear(
      tr("Fine-tune a run to see its confusion matrix on the test split here (the project "
         "keeps each run's scores, not its matrix)."));
}

void ConfusionMatrixView::clear(const QString& hint) {
  model_->clear();
  title_->setText(hint);
  table_->hide();
}

void ConfusionMatrixView::setMatrix(const QString& title,
                                    const std::vector<std::vector<int64_t>>& confusion,
                                    const std::vector<std::string>& classNames) {
  model_->clear();
  const int n = static_cast<int>(confusion.size());
  auto name = [&](int i) {
    return i < static_cast<int>(classNames.size())
               ? QString::fromStdString(classNames[static_cast<size_t>(i)])
               : tr("class %1").arg(i);
  };
  model_->setRowCount(n);
  model_->setColumnCount(n);
  QStringList names;
  for (int i = 0; i < n; ++i) names << name(i);
  model_->setVerticalHeaderLabels(names);
  model_->setHorizontalHeaderLabels(names);
  const QLocale locale;
  for (int t = 0; t < n; ++t) {
    const auto& row = confusion[static_cast<size_t>(t)];
    int64_t total = 0;
    for (int64_t c : row) total += c;
    for (int p = 0; p < n && p < static_cast<int>(row.size()); ++p) {
      const int64_t count = row[static_cast<size_t>(p)];
      auto* item =
          new QStandardItem(count ? locale.toString(static_cast<qlonglong>(count)) : QString());
      item->setTextAlignment(Qt::AlignCenter);
      const double share = total ? static_cast<double>(count) / static_cast<double>(total) : 0;
      // Correct answers in green, mistakes in red; the share sets the depth.
      const int depth = static_cast<int>(std::clamp(share, 0.0, 1.0) * 200);
      if (count) {
        item->setBackground(t == p ? QColor(255 - depth, 255 - depth / 3, 255 - depth)
                                   : QColor(255, 255 - depth, 255 - depth));
      }
      item->setToolTip(tr("%1 predicted as %2: %3 of %4 (%5%)")
                           .arg(name(t), name(p), locale.toString(static_cast<qlonglong>(count)),
                                locale.toString(static_cast<qlonglong>(total)))
                           .arg(QString::number(share * 100, 'f', 1)));
      model_->setItem(t, p, item);
    }
  }
  title_->setText(title);
  table_->setVisible(n > 0);
  table_->horizontalHeader()->setMinimumSectionSize(24);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

}  // namespace pl::ui
