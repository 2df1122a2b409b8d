#include "ui/pretrain/input_fields_list.h"

#include <QLocale>
#include <algorithm>

namespace pl::ui {

namespace {

constexpr int kNameRole = Qt::UserRole;

QString fieldName(const QListWidgetItem* item) { return item->data(kNameRole).toString(); }

}  // namespace

InputFieldsList::InputFieldsList(QWidget* parent) : QListWidget(parent) {
  setSelectionMode(QAbstractItemView::NoSelection);
  setUniformItemSizes(true);
  connect(this, &QListWidget::itemChanged, this, &InputFieldsList::onItemChanged);
}

void InputFieldsList::addField(const FieldInfo& field, int64_t products, bool missing) {
  QString name = QString::fromStdString(field.name);
  QString kind = field.isText            ? tr("text")
                 : field.isImage         ? tr("picture")
                 : field.name == "price" ? tr("price buckets")
                                         : tr("attribute");
  QString text = missing ? tr("%1 — not in this project").arg(name)
                         : tr("%1  (%2, %3% filled)")
                               .arg(name, kind)
                               .arg(products > 0 ? qRound(100.0 * field.nonEmpty / products) : 0);
  auto* row = new QListWidgetItem(text, this);
  row->setData(kNameRole, name);
  row->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
  bool ticked = std::find(inputs_.begin(), inputs_.end(), field.name) != inputs_.end();
  row->setCheckState(ticked ? Qt::Checked : Qt::Unchecked);
  if (missing) row->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
}

void InputFieldsList::setFields(const ProjectFacts& facts) {
  updating_ = true;
  clear();
  for (const auto& f : facts.fields) addField(f, facts.products, false);
  for (const auto& name : inputs_) {
    if (!facts.hasField(name)) addField(FieldInfo{name, false, true, false, 0}, 0, true);
  }
  updating_ = false;
}

void InputFieldsList::setInputs(const std::vector<std::string>& inputs) {
  updating_ = true;
  inputs_ = inputs;
  for (const auto& name : inputs_) {
    if (!item(name)) addField(FieldInfo{name, false, true, false, 0}, 0, true);
  }
  for (int i = 0; i < count(); ++i) {
    QListWidgetItem* row = QListWidget::item(i);
    bool ticked =
        std::find(inputs_.begin(), inputs_.end(), fieldName(row).toStdString()) != inputs_.end();
    row->setCheckState(ticked ? Qt::Checked : Qt::Unchecked);
  }
  updating_ = false;
  emit inputsChanged();
}

QListWidgetItem* InputFieldsList::item(const std::string& field) const {
  QString name = QString::fromStdString(field);
  for (int i = 0; i < count(); ++i) {
    if (fieldName(QListWidget::item(i)) == name) return QListWidget::item(i);
  }
  return nullptr;
}

void InputFieldsList::onItemChanged(QListWidgetItem* row) {
  if (updating_) return;
  std::string name = fieldName(row).toStdString();
  auto it = std::find(inputs_.begin(), inputs_.end(), name);
  if (row->checkState() == Qt::Checked && it == inputs_.end()) inputs_.push_back(name);
  if (row->checkState() != Qt::Checked && it != inputs_.end()) inputs_.erase(it);
  emit inputsChanged();
}

}  // namespace pl::ui
