#include "ui/pretrain/run_history_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include "ui/pretrain/display_format.h"

namespace pl::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QColor statusColour(const std::string& status) {
  if (status == "failed") return QColor(176, 0, 32);
  if (status == "finished") return QColor(0, 120, 60);
  if (status == "stopped" || status == "running" || status == "paused") return QColor(150, 100, 0);
  return {};
}

}  // namespace

RunHistoryModel::RunHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunHistoryModel::setRuns(std::vector<RunSummary> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  QSet<qint64> still;
  for (const auto& s : runs_) {
    if (overlaid_.contains(s.run.id)) still.insert(s.run.id);
  }
  overlaid_ = still;
  endResetModel();
}

const RunSummary* RunHistoryModel::runAt(int row) const {
  return row >= 0 && row < static_cast<int>(runs_.size()) ? &runs_[static_cast<size_t>(row)]
                                                          : nullptr;
}

int RunHistoryModel::rowOf(qint64 runId) const {
  for (size_t i = 0; i < runs_.size(); ++i) {
    if (runs_[i].run.id == runId) return static_cast<int>(i);
  }
  return -1;
}

void RunHistoryModel::setOverlaid(qint64 runId, bool on) {
  int row = rowOf(runId);
  if (row < 0 || overlaid_.contains(runId) == on) return;
  if (on)
    overlaid_.insert(runId);
  else
    overlaid_.remove(runId);
  emit dataChanged(index(row, Name), index(row, Name), {Qt::CheckStateRole});
  emit overlayToggled(runId, q(runs_[static_cast<size_t>(row)].run.name), on);
}

void RunHistoryModel::setLiveRun(qint64 runId, const QString& status) {
  liveRun_ = runId;
  liveStatus_ = status.isEmpty() ? tr("training") : status;
  if (!runs_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::display(const RunSummary& s, int column) const {
  switch (column) {
    case Name:
      return q(s.run.name);
    case Status:
      if (s.run.id == liveRun_) return liveStatus_;
      // Stored as running or paused but nobody trains it: the app was closed
      // hard or crashed. It resumes from its last checkpoint like a stopped run.
      if (s.storedAsActive()) return tr("interrupted");
      return q(s.run.status);
    case Objectives:
      return q(s.objectivesText());
    case MaskRate:
      return s.config && s.config->uses("mlm") ? QString::number(s.config->maskRate) : QString();
    case FinalLoss:
      return s.finalLoss ? formatValue(*s.finalLoss) : QString();
    case ValidationLoss:
      return s.finalValidation ? formatValue(*s.finalValidation) : QString();
    case Duration:
      return formatDuration(s.run.elapsedSeconds);
    case Steps:
      return QString::number(s.run.step);
    default:
      return {};
  }
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
  const RunSummary* s = runAt(index.row());
  if (!s) return {};
  switch (role) {
    case Qt::DisplayRole:
      return display(*s, index.column());
    case Qt::CheckStateRole:
      if (index.column() != Name) return {};
      return overlaid_.contains(s->run.id) ? Qt::Checked : Qt::Unchecked;
    case Qt::ForegroundRole:
      if (index.column() == Status && s->run.id != liveRun_ &&
          statusColour(s->run.status).isValid()) {
        return QBrush(statusColour(s->run.status));
      }
      return {};
    case Qt::FontRole: {
      if (s->run.id != liveRun_) return {};
      QFont bold;
      bold.setBold(true);
      return bold;
    }
    case Qt::ToolTipRole:
      if (index.column() == Status && s->run.id != liveRun_ && s->storedAsActive()) {
        return tr(
            "Training ended without a clean stop (the app was closed or crashed); "
            "resume it from its last checkpoint.");
      }
      if (index.column() == Status && !s->run.message.empty()) return q(s->run.message);
      if (index.column() == Name) return tr("Tick to overlay this run on the curves");
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() >= MaskRate) return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    default:
      return {};
  }
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const names[] = {
      QT_TR_NOOP("Run"),  QT_TR_NOOP("Status"),    QT_TR_NOOP("Objectives"), QT_TR_NOOP("Mask"),
      QT_TR_NOOP("Loss"), QT_TR_NOOP("Val. loss"), QT_TR_NOOP("Duration"),   QT_TR_NOOP("Steps")};
  return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

Qt::ItemFlags RunHistoryModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  if (index.column() == Name) f |= Qt::ItemIsUserCheckable;
  return f;
}

bool RunHistoryModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  const RunSummary* s = runAt(index.row());
  if (!s || role != Qt::CheckStateRole || index.column() != Name) return false;
  setOverlaid(s->run.id, value.toInt() == Qt::Checked);
  return true;
}

}  // namespace pl::ui
