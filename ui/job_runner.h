#pragma once
// Runs one core job at a time on its own QThread. The job's JobContext sinks
// emit queued signals, so progress reaches the GUI thread without the job
// knowing about Qt; the completion callback also runs on the GUI thread.
// Compare QGIS QgsTask: the job owns no widgets, the runner owns no results.

#include <QMetaType>
#include <QObject>
#include <QString>
#include <any>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/job_context.h"

class QThread;

namespace pl::ui {

/// One JobContext::metrics report (loss, lr, ...), carried as is: the curves
/// take the same map, so no per-step conversion to QVariant.
using MetricValues = std::map<std::string, double>;

/// Drives core jobs from the GUI: one at a time, cancellable, never blocking.
class JobRunner : public QObject {
  Q_OBJECT

 public:
  /// Runs on the worker thread. It opens its own SQLite connection: they are
  /// per thread. It may throw; the message is handed to Done.
  using Work = std::function<void(pl::JobContext&)>;
  /// Runs on the GUI thread after Work returned; `crash` is empty unless
  /// Work threw, in which case it holds the exception's message.
  using Done = std::function<void(const QString& crash)>;

  explicit JobRunner(QObject* parent = nullptr);
  /// Requests a stop and waits: a job must not outlive the objects it reports to.
  ~JobRunner() override;

  /// Starts `work`; false (and nothing started) while another job runs.
  bool start(const QString& title, Work work, Done done);
  bool isRunning() const { return thread_ != nullptr; }
  const QString& title() const { return title_; }
  /// True inside Done when the job ended because cancel() was called.
  bool wasCancelled() const { return context_ && context_->stopRequested(); }
  /// True while a pause is requested (jobs that support pause wait on it).
  bool isPaused() const { return thread_ && context_->pauseRequested(); }
  /// Blocks until the running job (if any) finished and Done ran. For tests
  /// and shutdown only: it spins the event loop.
  void waitForFinished();

 public slots:
  /// Asks the job to stop at its next check; Done still runs. A paused job
  /// stops too (it never waits on a pause once a stop is requested).
  void cancel();
  /// Asks a job that supports pausing to wait (true) or go on (false).
  void setPaused(bool paused);

 signals:
  void started(const QString& title);
  void progress(qint64 done, qint64 total, const QString& phase);
  void logMessage(int level, const QString& message);
  /// A JobContext::metrics report (queued from the worker thread).
  void metrics(qint64 step, const pl::ui::MetricValues& values);
  /// A JobContext::partial result (queued; the job documents its type, e.g.
  /// std::shared_ptr<const ProjectionSnapshot>). Only connected receivers
  /// make the job build them (JobContext::wantsPartial).
  void partialResult(const std::any& result);
  /// The pause request changed (setPaused), not the job's acknowledgement.
  void pausedChanged(bool paused);
  void finished(const QString& title, bool cancelled);

 private:
  void onThreadFinished();

  QThread* thread_ = nullptr;
  std::unique_ptr<pl::JobContext> context_;
  Done done_;
  QString crash_;
  QString title_;
};

}  // namespace pl::ui

Q_DECLARE_METATYPE(pl::ui::MetricValues)
Q_DECLARE_METATYPE(std::any)
