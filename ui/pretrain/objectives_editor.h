#pragma once
// The four pretraining objectives, each a checkbox with its loss weight and
// a one-line explanation (names shared with the CLI: mlm, attr, contrastive,
// copurchase).

#include <QWidget>
#include <map>
#include <string>
#include <vector>

class QCheckBox;

namespace pl::ui {

class ExactDoubleSpinBox;

/// Objective checkboxes + weights <-> RunConfig::objectives.
class ObjectivesEditor : public QWidget {
  Q_OBJECT

 public:
  /// The objectives in display order.
  static const std::vector<std::string>& names();

  explicit ObjectivesEditor(QWidget* parent = nullptr);

  /// Ticked objectives with their weights.
  std::map<std::string, double> objectives() const;
  /// Ticks exactly the objectives in `objectives`; an unticked one keeps its
  /// last weight for when it is ticked again.
  void setObjectives(const std::map<std::string, double>& objectives);

  QCheckBox* checkBox(const std::string& name) const;
  ExactDoubleSpinBox* weightBox(const std::string& name) const;

 signals:
  void changed();

 private:
  struct Row {
    QCheckBox* check;
    ExactDoubleSpinBox* weight;
  };
  std::map<std::string, Row> rows_;
};

}  // namespace pl::ui
