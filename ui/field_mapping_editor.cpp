#include "ui/field_mapping_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>

namespace pl::ui {

namespace {

const QString kCategorySeparator = QStringLiteral(" > ");

QString fieldLabel(pl::Field field) {
  switch (field) {
    case pl::Field::Id: return QObject::tr("ID");
    case pl::Field::Title: return QObject::tr("Title");
    case pl::Field::Description: return QObject::tr("Description");
    case pl::Field::Brand: return QObject::tr("Brand");
    case pl::Field::Category: return QObject::tr("Category path");
    case pl::Field::Price: return QObject::tr("Price");
    case pl::Field::Image: return QObject::tr("Image");
  }
  return {};
}

QString joined(const std::vector<std::string>& columns) {
  QStringList parts;
  for (const std::string& c : columns) parts << QString::fromStdString(c);
  return parts.join(kCategorySeparator);
}

}  // namespace

QString FieldMappingEditor::notMapped() { return tr("(not mapped)"); }

FieldMappingEditor::FieldMappingEditor(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  for (pl::Field field : pl::allFields()) {
    auto* combo = new QComboBox;
    combo->setObjectName(QString::fromLatin1(pl::fieldName(field)));
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(18);
    if (field == pl::Field::Category) {
      combo->setEditable(true);
      combo->setInsertPolicy(QComboBox::NoInsert);
      combo->setToolTip(tr("One column, or several joined with '>' from broad to narrow, "
                           "e.g. masterCategory > subCategory > articleType"));
      connect(combo, &QComboBox::editTextChanged, this, &FieldMappingEditor::mappingChanged);
    } else {
      connect(combo, &QComboBox::currentIndexChanged, this, &FieldMappingEditor::mappingChanged);
    }
    combos_[static_cast<int>(field)] = combo;
    form->addRow(fieldLabel(field), combo);
  }
}

void FieldMappingEditor::setColumns(const QStringList& header, const pl::FieldMapping& mapping) {
  header_ = header;
  for (pl::Field field : pl::allFields()) {
    QComboBox* box = combo(field);
    QSignalBlocker block(box);
    box->clear();
    box->addItem(notMapped());
    box->addItems(header);
    QString chosen = joined(mapping.columns(field));
    if (field == pl::Field::Category && mapping.columns(field).size() > 1) {
      box->insertItem(1, chosen);  // the guessed path, offered as a choice too
    }
    int index = chosen.isEmpty() ? 0 : box->findText(chosen);
    box->setCurrentIndex(index < 0 ? 0 : index);
    if (box->isEditable()) box->setEditText(box->currentText());
  }
  emit mappingChanged();
}

QStringList FieldMappingEditor::categoryColumns() const {
  QString text = combo(pl::Field::Category)->currentText().trimmed();
  if (text.isEmpty() || text == notMapped()) return {};
  QStringList columns;
  for (const QString& part : text.split(QLatin1Char('>'))) {
    if (!part.trimmed().isEmpty()) columns << part.trimmed();
  }
  return columns;
}

pl::FieldMapping FieldMappingEditor::mapping() const {
  pl::FieldMapping out;
  for (pl::Field field : pl::allFields()) {
    std::vector<std::string> columns;
    if (field == pl::Field::Category) {
      for (const QString& c : categoryColumns()) {
        if (header_.contains(c)) columns.push_back(c.toStdString());
      }
    } else if (combo(field)->currentIndex() > 0) {
      columns.push_back(combo(field)->currentText().toStdString());
    }
    out.set(field, std::move(columns));
  }
  return out;
}

QString FieldMappingEditor::problem() const {
  for (const QString& c : categoryColumns()) {
    if (!header_.contains(c)) {
      return tr("The category path names “%1”, which is not a column of this file.").arg(c);
    }
  }
  return {};
}

}  // namespace pl::ui
