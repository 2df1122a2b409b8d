#pragma once
// The Pretrain page: configure a run (left), start, pause, stop and resume
// it, watch its curves and numbers (right, top), and compare it with earlier
// runs from the project's history (right, bottom: table, details, log).
// Training runs on the shared JobRunner's worker thread; the page only
// reacts to its queued signals, so the window stays responsive.

#include <QWidget>
#include <map>
#include <string>

#include "common/result.h"
#include "train/pretrain_job.h"
#include "ui/job_runner.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTabWidget;
class QTimer;

namespace pl {
class Project;
}

namespace pl::ui {

class ImagePreviewPanel;
class RunConfigPanel;
class RunDetailsPanel;
class RunHistoryModel;
class RunLogPanel;
class TrainingCurvesView;
class TrainingStatusPanel;
struct RunSummary;

/// Configure, run and compare pretraining runs.
class PretrainPage : public QWidget {
  Q_OBJECT

 public:
  explicit PretrainPage(JobRunner* runner, QWidget* parent = nullptr);

  /// The open project (owned by the caller; GUI thread only), or null. The
  /// caller stops a run of this page first (stopAndWait).
  void setProject(pl::Project* project);
  /// True while a run started here is on the runner.
  bool isTraining() const { return training_; }
  /// Asks the run to stop (it saves a checkpoint) and waits until it has
  /// ended, spinning the event loop; for closing the window or project.
  void stopAndWait();
  /// Id of the run being trained (0 while none, or before it is created).
  qint64 liveRunId() const { return liveRunId_; }
  /// Re-reads the run history from the project.
  void reloadHistory();

  /// Starts a new run with the panel's config under the name in the field.
  bool start();
  void togglePause();
  void stop();
  /// Continues the run selected in the history from its last checkpoint.
  bool resumeSelected();
  /// Copies the selected run's config into the panel under a new name.
  void cloneSelected();
  /// Writes the selected run's HTML report to `path` (asks where when empty)
  /// and its PDF beside it (pdfPathFor), then opens the HTML; false (with a
  /// message box when it asked) on failure.
  bool writeReport(QString path = QString());
  /// Selects the history row of `runId` (shows its details).
  void selectRun(qint64 runId);

  RunConfigPanel* configPanel() const { return config_; }
  RunHistoryModel* history() const { return history_; }
  QTableView* historyTable() const { return table_; }
  TrainingCurvesView* curves() const { return curves_; }
  TrainingStatusPanel* status() const { return status_; }
  RunDetailsPanel* details() const { return details_; }
  RunLogPanel* log() const { return log_; }
  ImagePreviewPanel* pictures() const { return pictures_; }
  QLineEdit* runNameEdit() const { return runName_; }
  QPushButton* startButton() const { return startButton_; }
  QPushButton* pauseButton() const { return pauseButton_; }
  QPushButton* stopButton() const { return stopButton_; }

 signals:
  /// One line for the main window's status bar (empty: nothing to say).
  void statusSummaryChanged(const QString& summary);
  /// A run of this page ended; `status` is finished, stopped or failed.
  void runEnded(const QString& name, const QString& status);

 private:
  QWidget* makeControls();
  QWidget* makeLowerPart();
  void createShortcuts();
  void connectRunner();
  bool launch(const QString& name, const pl::RunConfig& config, bool resume);
  void onMetrics(qint64 step, const MetricValues& values);
  void onPausedChanged(bool paused);
  void onFinished(const QString& name, const pl::Result<pl::PretrainReport>& result);
  void onOverlayToggled(qint64 runId, const QString& name, bool on);
  void onSelectionChanged();
  void resolveLiveRun();
  const RunSummary* selectedRun() const;
  QString nextRunName(const QString& base = QStringLiteral("run")) const;
  QString runNameProblem() const;
  void updateControls();
  /// Shows what the panel's picture settings do (no model), unless a run
  /// is sending its own previews.
  void refreshPicturePreview();

  JobRunner* runner_;
  pl::Project* project_ = nullptr;
  bool training_ = false;
  bool stopping_ = false;
  QString liveName_;
  qint64 liveRunId_ = 0;

  RunConfigPanel* config_;
  QLineEdit* runName_;
  QLabel* runNameProblem_;
  QPushButton* startButton_;
  QPushButton* pauseButton_;
  QPushButton* stopButton_;
  TrainingStatusPanel* status_;
  TrainingCurvesView* curves_;
  RunHistoryModel* history_;
  QTableView* table_;
  QTabWidget* tabs_;
  RunDetailsPanel* details_;
  RunLogPanel* log_;
  ImagePreviewPanel* pictures_;
  QTimer* previewTimer_;
  QTimer* historyTimer_;
};

}  // namespace pl::ui
