#pragma once
// The status bar's view of the running job: what it does, a progress bar and
// a Cancel button. Hidden while nothing runs.

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace pl::ui {

class JobRunner;

/// Progress and Cancel for a JobRunner.
class JobProgressWidget : public QWidget {
  Q_OBJECT

 public:
  explicit JobProgressWidget(JobRunner* runner, QWidget* parent = nullptr);

  QProgressBar* bar() const { return bar_; }
  QPushButton* cancelButton() const { return cancel_; }

 private:
  void onProgress(qint64 done, qint64 total, const QString& phase);

  QString title_;
  QLabel* label_;
  QProgressBar* bar_;
  QPushButton* cancel_;
};

}  // namespace pl::ui
