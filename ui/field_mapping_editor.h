#pragma once
// One combo box per canonical field, listing the catalog's columns and
// pre-set to the guessed mapping. Category may take several columns: its
// combo is editable and accepts "colA > colB > colC".

#include <QWidget>
#include <array>

#include "catalog/field_mapping.h"

class QComboBox;
class QFormLayout;
class QLabel;

namespace pl::ui {

/// Edits a pl::FieldMapping over a known set of columns.
class FieldMappingEditor : public QWidget {
  Q_OBJECT

 public:
  explicit FieldMappingEditor(QWidget* parent = nullptr);

  /// Lists `header` in every combo and selects `mapping`.
  void setColumns(const QStringList& header, const pl::FieldMapping& mapping);
  /// The mapping as currently chosen; unknown category columns are left out.
  pl::FieldMapping mapping() const;
  /// Empty when the mapping can be imported, else why not (one sentence).
  QString problem() const;

  QComboBox* combo(pl::Field field) const { return combos_[static_cast<int>(field)]; }
  /// Text shown for an unmapped field.
  static QString notMapped();

 signals:
  void mappingChanged();

 private:
  QStringList categoryColumns() const;

  QStringList header_;
  std::array<QComboBox*, pl::kFieldCount> combos_{};
};

}  // namespace pl::ui
