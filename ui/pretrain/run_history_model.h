#pragma once
// The project's pretraining runs as a table: name (with a checkbox that
// overlays the run on the curves), status, objectives, masking rate, final
// training and validation loss, duration, steps.

#include <QAbstractTableModel>
#include <QSet>
#include <vector>

#include "ui/pretrain/run_summaries.h"

namespace pl::ui {

/// Table model over loadRunSummaries(); checked rows are overlaid.
class RunHistoryModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    Name,
    Status,
    Objectives,
    MaskRate,
    FinalLoss,
    ValidationLoss,
    Duration,
    Steps,
    ColumnCount
  };

  explicit RunHistoryModel(QObject* parent = nullptr);

  /// Replaces the rows; overlay checks survive for runs still there.
  void setRuns(std::vector<RunSummary> runs);
  const std::vector<RunSummary>& runs() const { return runs_; }
  const RunSummary* runAt(int row) const;
  /// Row of the run with this id, or -1.
  int rowOf(qint64 runId) const;
  bool isOverlaid(qint64 runId) const { return overlaid_.contains(runId); }
  /// Checks or unchecks a run's overlay box (emits overlayToggled on change).
  void setOverlaid(qint64 runId, bool on);
  /// Marks the run the page is training now: bold, with `status` (e.g.
  /// "training", "paused") instead of the stored one, which lags behind.
  void setLiveRun(qint64 runId, const QString& status = QString());

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;

 signals:
  /// The user (or setOverlaid) checked or unchecked a run.
  void overlayToggled(qint64 runId, const QString& name, bool on);

 private:
  QVariant display(const RunSummary& s, int column) const;

  std::vector<RunSummary> runs_;
  QSet<qint64> overlaid_;
  qint64 liveRun_ = 0;
  QString liveStatus_;
};

}  // namespace pl::ui
