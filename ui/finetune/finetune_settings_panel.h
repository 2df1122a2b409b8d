#pragma once
// The Fine-tune page's left side: what to start from (a run with a
// checkpoint, or random initialisation), which label, which labelled
// products (SubsetChooser), probe or full, and the training settings. It
// checks the choice before Start: the leak guard's refusal (a base run that
// saw the label) is shown here in its own words.

#include <QString>
#include <QStringList>
#include <QWidget>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "finetune/finetune_job.h"
#include "store/label_choices.h"
#include "store/product_filter.h"
#include "store/run_store.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace pl {
class Project;
}

namespace pl::ui {

class ExactDoubleSpinBox;
class ProductSelection;
class SubsetChooser;

/// Settings of a fine-tuning run.
class FinetuneSettingsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit FinetuneSettingsPanel(QWidget* parent = nullptr);

  /// Reads runs and labels of `project` (GUI thread; null: empty).
  void setProject(pl::Project* project);
  void setSelection(ProductSelection* selection);
  /// Re-reads the runs (after one finished) keeping the choice.
  void reloadRuns();
  /// Re-reads the shown label's stored test split (a job may have drawn it).
  void refreshSplit();

  /// The options for a run of these settings (runName left empty; for a
  /// filter subset, subsetIds are filled by the job: see filter()).
  pl::FinetuneOptions options() const;
  /// The filter when the subset is "products matching a filter".
  std::optional<pl::ProductFilter> filter() const;
  /// The label as results are stored under it, and as a person reads it.
  QString labelName() const;
  QString labelDisplay() const;
  /// The base run's name ("" for random initialisation).
  QString baseRun() const;
  /// Why Start cannot run these settings (empty when it can).
  QStringList problems() const;
  /// The leak guard's (or the label's) refusal of this base run and label, or "".
  const QString& labelProblem() const { return leakProblem_; }

  void setBaseRun(const QString& name);  ///< "" selects random initialisation
  bool setLabel(const QString& name);
  void setMode(pl::FinetuneMode mode);
  pl::FinetuneMode mode() const;

  QComboBox* baseRunCombo() const { return baseBox_; }
  QComboBox* labelCombo() const { return labelBox_; }
  QComboBox* modeCombo() const { return modeBox_; }
  QLabel* splitLabel() const { return splitLabel_; }
  QLabel* problemLabel() const { return problemLabel_; }
  SubsetChooser* subset() const { return subset_; }
  QSpinBox* epochsSpin() const { return epochs_; }
  QSpinBox* patienceSpin() const { return patience_; }
  const std::vector<pl::LabelChoice>& labels() const { return labels_; }

 signals:
  void changed();
  /// The label changed (the chart and results follow it).
  void labelChanged();

 private:
  QWidget* makeStartGroup();
  QWidget* makeTrainingGroup();
  void onBaseChanged();
  void checkLeak();
  void updateProblems();
  std::optional<pl::RunConfig> configOf(const QString& runName) const;

  pl::Project* project_ = nullptr;
  std::vector<pl::RunRecord> runs_;
  std::vector<pl::LabelChoice> labels_;
  QString leakProblem_;

  QComboBox* baseBox_;
  QComboBox* scratchLikeBox_;
  QLabel* scratchLikeLabel_;
  QComboBox* labelBox_;
  QLabel* splitLabel_;
  SubsetChooser* subset_;
  QComboBox* modeBox_;
  QSpinBox* epochs_;
  QSpinBox* patience_;
  QSpinBox* batch_;
  ExactDoubleSpinBox* headLr_;
  ExactDoubleSpinBox* encoderLr_;
  QLabel* problemLabel_;
};

}  // namespace pl::ui
