#pragma once
// The Fine-tune page: settings on the left (base run, label and its fixed
// test split, labelled subset, probe or full); on the right the run name,
// Start / Stop and progress, the live curves (the Pretrain page's
// TrainingCurvesView), and below them every stored result side by side
// beside the label-efficiency chart, the last fine-tune's confusion matrix
// and the log. "Predict labels" puts a fine-tuned classifier to work: its
// predictions appear on the Data page. Jobs run on the shared JobRunner.

#include <QStringList>
#include <QWidget>
#include <optional>
#include <vector>

#include "common/result.h"
#include "eval/eval_results.h"
#include "ui/finetune/finetune_jobs.h"
#include "ui/job_runner.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace pl {
class Project;
}

namespace pl::ui {

class ConfusionMatrixView;
class EvalResultsModel;
class FinetuneSettingsPanel;
class LabelEfficiencyChart;
class ProductSelection;
class RunLogPanel;
class TrainingCurvesView;

/// Fine-tune runs on labelled subsets and compare them with the baselines.
class FinetunePage : public QWidget {
  Q_OBJECT

 public:
  /// `selection` (owned by the window, may be null) is the hand-picked subset.
  FinetunePage(JobRunner* runner, ProductSelection* selection, QWidget* parent = nullptr);

  /// The open project (owned by the caller; GUI thread only), or null. The
  /// caller stops a job of this page first (stopAndWait).
  void setProject(pl::Project* project);
  /// True while a job started here (fine-tune or prediction) is on the runner.
  bool isBusy() const { return job_ != Job::None; }
  bool isTraining() const { return job_ == Job::Finetune || job_ == Job::Study; }
  /// Asks the job to stop (a fine-tune keeps its best weights) and waits.
  void stopAndWait();

  /// Starts a fine-tune with the panel's settings under the name in the field.
  bool start();
  void stop();
  /// Labels the products with the run chosen in the predictions combo.
  bool predict();
  /// Runs the label-efficiency study for the base run and label on the left
  /// at `fractions` (default 1%, 10%, 100%), with the panel's training settings.
  bool runStudy(const std::vector<double>& fractions = {0.01, 0.1, 1.0});
  /// Re-reads results, runs and the chart from the project.
  void reloadResults();

  FinetuneSettingsPanel* settings() const { return settings_; }
  EvalResultsModel* resultsModel() const { return results_; }
  QTableView* resultsTable() const { return table_; }
  QCheckBox* thisLabelOnly() const { return thisLabelOnly_; }
  LabelEfficiencyChart* chart() const { return chart_; }
  ConfusionMatrixView* confusion() const { return confusion_; }
  TrainingCurvesView* curves() const { return curves_; }
  RunLogPanel* log() const { return log_; }
  QTabWidget* tabs() const { return tabs_; }
  QLineEdit* runNameEdit() const { return runName_; }
  QPushButton* startButton() const { return startButton_; }
  QPushButton* stopButton() const { return stopButton_; }
  QPushButton* predictButton() const { return predictButton_; }
  QPushButton* studyButton() const { return studyButton_; }
  QComboBox* predictRunCombo() const { return predictRun_; }
  QCheckBox* unlabelledOnlyBox() const { return unlabelledOnly_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* statusLabel() const { return status_; }

 signals:
  /// A fine-tune of this page ended; `status` is finished, stopped or failed.
  void runEnded(const QString& name, const QString& status);
  /// A run's predictions were stored (the Data page shows them).
  void predictionsChanged(const QString& runName);

 private:
  enum class Job { None, Finetune, Predict, Study };
  QWidget* makeControls();
  QWidget* makeResultsPart();
  void createShortcuts();
  void connectRunner();
  void reloadPredictRuns();
  void onLabelChanged();
  void onResultSelected();
  void onMetrics(qint64 step, const MetricValues& values);
  void onProgress(qint64 done, qint64 total, const QString& phase);
  void onFinetuned(const QString& name, const pl::Result<FinetuneOutcome>& result);
  void onPredicted(const QString& name, const pl::Result<int64_t>& result);
  void onStudied(const pl::Result<pl::EfficiencyReport>& result);
  void followStudyRun(qint64 step);
  void showStatus(const QString& text, bool error = false);
  void showRunCurves(const QString& name);
  void suggestRunName();
  QString runNameProblem() const;
  void updateControls();

  JobRunner* runner_;
  ProductSelection* selection_;
  pl::Project* project_ = nullptr;
  Job job_ = Job::None;
  bool stopping_ = false;
  bool nameEdited_ = false;
  QString liveName_;
  qint64 liveRunId_ = 0;
  qint64 lastStep_ = 0;
  QStringList studyRuns_;  ///< the fine-tunes a study creates, in order

  FinetuneSettingsPanel* settings_;
  QLineEdit* runName_;
  QLabel* runNameProblem_;
  QPushButton* startButton_;
  QPushButton* stopButton_;
  QPushButton* studyButton_;
  QProgressBar* progress_;
  QLabel* status_;
  TrainingCurvesView* curves_;
  EvalResultsModel* results_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QCheckBox* thisLabelOnly_;
  QComboBox* predictRun_;
  QCheckBox* unlabelledOnly_;
  QPushButton* predictButton_;
  QTabWidget* tabs_;
  LabelEfficiencyChart* chart_;
  ConfusionMatrixView* confusion_;
  RunLogPanel* log_;
};

}  // namespace pl::ui
