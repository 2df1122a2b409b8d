#pragma once
// The product fields a run sees, as a checkable list built from the
// project: title and description (text encoder), brand, category, price and
// every attribute column (attribute encoder), each with how full it is.
// The order in which fields are ticked is the order of RunConfig::inputs,
// which fixes the attribute encoder's tables: it is kept, not re-sorted.

#include <QListWidget>
#include <string>
#include <vector>

#include "ui/pretrain/project_facts.h"

namespace pl::ui {

/// Checkable field list <-> RunConfig::inputs.
class InputFieldsList : public QListWidget {
  Q_OBJECT

 public:
  explicit InputFieldsList(QWidget* parent = nullptr);

  /// Lists the project's fields; ticked inputs stay ticked where they exist.
  void setFields(const ProjectFacts& facts);
  /// Ticked fields, in the order they were ticked (or given to setInputs).
  const std::vector<std::string>& inputs() const { return inputs_; }
  /// Ticks exactly `inputs`; names this project lacks are listed, marked
  /// as missing, so the config still round-trips and the checks can say so.
  void setInputs(const std::vector<std::string>& inputs);
  /// The row of `field`, or null.
  QListWidgetItem* item(const std::string& field) const;

 signals:
  void inputsChanged();

 private:
  void addField(const FieldInfo& field, int64_t products, bool missing);
  void onItemChanged(QListWidgetItem* item);

  std::vector<std::string> inputs_;
  bool updating_ = false;
};

}  // namespace pl::ui
