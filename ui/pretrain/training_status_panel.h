#pragma once
// Where the current run stands: a progress bar with the time left, and
// step, epoch, loss and throughput. The same one-line summary goes to the
// main window's status bar (summaryChanged).

#include <QElapsedTimer>
#include <QWidget>
#include <map>
#include <string>

class QLabel;
class QProgressBar;
class QTimer;

namespace pl::ui {

/// Progress, ETA and the latest numbers of the running pretraining job.
class TrainingStatusPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingStatusPanel(QWidget* parent = nullptr);

  /// A run starts (or resumes): clears the numbers.
  void begin(const QString& runName);
  void onProgress(qint64 done, qint64 total, const QString& phase);
  void onMetrics(qint64 step, const std::map<std::string, double>& values);
  /// Pausing freezes the ETA clock.
  void setPaused(bool paused);
  void setStopping();
  /// The run ended; `text` says how.
  void end(const QString& text);

  QString summary() const;
  QProgressBar* bar() const { return bar_; }
  qint64 step() const { return step_; }
  /// Seconds left, or a negative number while unknown.
  double etaSeconds() const;

 signals:
  void summaryChanged(const QString& summary);

 private:
  double activeSeconds() const;
  void updateLabels();
  void scheduleUpdate();

  QString runName_;
  QString state_;
  QProgressBar* bar_;
  QLabel* stateLabel_;
  QLabel* numbersLabel_;
  QTimer* refresh_;
  qint64 step_ = -1;
  double epoch_ = 0;
  double loss_ = 0;
  double tokensPerSecond_ = 0;
  // ETA: progress units per second of unpaused training since the first report.
  qint64 done_ = 0, total_ = 0, firstDone_ = -1;
  QElapsedTimer clock_;
  double banked_ = 0;  // active seconds before the last pause
  bool paused_ = false;
};

}  // namespace pl::ui
