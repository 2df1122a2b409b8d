#pragma once
// The selected run: its state in one line, its full configuration as
// read-only JSON, and what can be done with it (clone into a new run,
// resume from its checkpoint).

#include <QWidget>

#include "ui/pretrain/run_summaries.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace pl::ui {

/// Read-only view of one run + Clone / Resume.
class RunDetailsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RunDetailsPanel(QWidget* parent = nullptr);

  /// Shows `run`; null shows a hint to select one. `live`: it is training now.
  void showRun(const RunSummary* run, bool live = false);
  /// Whether a job may start now (Resume needs an idle runner).
  void setIdle(bool idle);

  QPlainTextEdit* configView() const { return config_; }
  QPushButton* cloneButton() const { return clone_; }
  QPushButton* resumeButton() const { return resume_; }
  QPushButton* reportButton() const { return report_; }

 signals:
  void cloneRequested();
  void resumeRequested();
  void reportRequested();

 private:
  void updateButtons();

  QLabel* summary_;
  QPlainTextEdit* config_;
  QPushButton* clone_;
  QPushButton* resume_;
  QPushButton* report_;
  bool hasRun_ = false;
  bool resumable_ = false;
  bool idle_ = true;
};

}  // namespace pl::ui
