#pragma once
// The run configuration panel of the Pretrain page: presets, encoder,
// input fields, objectives with masking, training and advanced settings in
// a scrolling form, and below it, always visible, the estimate (parameters,
// time per epoch) and the reasons the run cannot start yet.
// config()/setConfig() round-trip a RunConfig exactly (tested via toJson).

#include <QWidget>
#include <functional>
#include <map>

#include "train/run_config.h"
#include "train/run_estimate.h"
#include "ui/pretrain/project_facts.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace pl::ui {

class AdvancedSettings;
class ImageSettings;
class InputFieldsList;
class MaskingRateControl;
class ModelSettings;
class ObjectivesEditor;
class TrainingSettings;

/// Edits one pretraining run's configuration and says whether it can run.
class RunConfigPanel : public QWidget {
  Q_OBJECT

 public:
  /// Counts an attribute input's vocabulary (see fieldCardinality()).
  using CardinalityFn = std::function<int64_t(const std::string& field)>;

  explicit RunConfigPanel(QWidget* parent = nullptr);

  pl::RunConfig config() const;
  void setConfig(const pl::RunConfig& config);
  /// The project the run is for: its fields, baskets and size.
  void setProjectFacts(const ProjectFacts& facts, CardinalityFn cardinality = {});

  /// Why the current config cannot start (empty: it can).
  const QStringList& problems() const { return problems_; }
  bool isValid() const { return problems_.isEmpty(); }
  const pl::RunEstimate& estimate() const { return estimate_; }
  /// Applies a built-in or saved preset by name (keeps inputs and threads).
  bool applyPreset(const QString& name);

  ModelSettings* model() const { return model_; }
  InputFieldsList* inputs() const { return inputs_; }
  ObjectivesEditor* objectives() const { return objectives_; }
  MaskingRateControl* maskRate() const { return maskRate_; }
  TrainingSettings* training() const { return training_; }
  ImageSettings* images() const { return images_; }
  QLabel* problemsLabel() const { return problemsLabel_; }
  QLabel* estimateLabel() const { return estimateLabel_; }

 signals:
  /// Any setting changed (after the checks and estimate were refreshed).
  void changed();
  void validityChanged(bool valid);

 private:
  QWidget* makeForm();
  QWidget* makePresetRow();
  void refresh();
  void savePreset();
  void reloadPresetList();
  std::vector<int64_t> cardinalities(const pl::RunConfig& config);

  /// The last config shown: fields no widget edits (added to RunConfig
  /// later, say) come from here, so they still round-trip.
  pl::RunConfig base_;
  ProjectFacts facts_;
  CardinalityFn cardinality_;
  std::map<std::string, int64_t> cardinalityCache_;
  QStringList problems_;
  pl::RunEstimate estimate_;
  bool loading_ = false;

  QComboBox* presets_;
  QPushButton* savePreset_;
  ModelSettings* model_;
  InputFieldsList* inputs_;
  ObjectivesEditor* objectives_;
  MaskingRateControl* maskRate_;
  QCheckBox* wholeWord_;
  TrainingSettings* training_;
  ImageSettings* images_;
  AdvancedSettings* advanced_;
  QLabel* estimateLabel_;
  QLabel* problemsLabel_;
  QLabel* notesLabel_;
};

}  // namespace pl::ui
