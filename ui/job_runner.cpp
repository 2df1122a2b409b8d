#include "ui/job_runner.h"

#include <QEventLoop>
#include <QMetaMethod>
#include <QThread>
#include <exception>

namespace pl::ui {

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
  // Queued connections copy arguments through the meta-type system.
  qRegisterMetaType<pl::ui::MetricValues>("pl::ui::MetricValues");
  qRegisterMetaType<std::any>("std::any");
}

JobRunner::~JobRunner() {
  if (!thread_) return;
  context_->requestStop();
  thread_->wait();
  // Done callbacks capture widgets that may already be half destroyed.
  delete thread_;
}

bool JobRunner::start(const QString& title, Work work, Done done) {
  if (thread_) return false;
  title_ = title;
  crash_.clear();
  done_ = std::move(done);
  context_ = std::make_unique<pl::JobContext>();
  // Signals emitted from the worker thread reach receivers in the GUI thread
  // queued (AutoConnection), which is the point of the sinks.
  context_->setProgressSink([this](int64_t d, int64_t t, const std::string& phase) {
    emit progress(d, t, QString::fromStdString(phase));
  });
  context_->setMetricsSink([this](int64_t step, const std::map<std::string, double>& values) {
    emit metrics(step, values);
  });
  context_->setLogSink([this](pl::LogLevel level, const std::string& message) {
    emit logMessage(static_cast<int>(level), QString::fromStdString(message));
  });
  // Only when someone listens: a job may skip building snapshots otherwise.
  if (isSignalConnected(QMetaMethod::fromSignal(&JobRunner::partialResult))) {
    context_->setPartialSink([this](const std::any& result) { emit partialResult(result); });
  }
  pl::JobContext* context = context_.get();
  thread_ = QThread::create([this, context, work = std::move(work)] {
    try {
      work(*context);
    } catch (const std::exception& e) {
      crash_ = QString::fromUtf8(e.what());
    } catch (...) {
      crash_ = tr("the job failed with an unknown error");
    }
  });
  connect(thread_, &QThread::finished, this, &JobRunner::onThreadFinished);
  thread_->start();
  emit started(title_);
  return true;
}

void JobRunner::cancel() {
  if (context_ && thread_) context_->requestStop();
}

void JobRunner::setPaused(bool paused) {
  if (!thread_ || context_->pauseRequested() == paused) return;
  context_->setPaused(paused);
  emit pausedChanged(paused);
}

void JobRunner::waitForFinished() {
  if (!thread_) return;
  QEventLoop loop;
  connect(this, &JobRunner::finished, &loop, &QEventLoop::quit);
  loop.exec();
}

void JobRunner::onThreadFinished() {
  bool cancelled = context_->stopRequested();
  bool wasPaused = context_->pauseRequested();
  QString title = title_;
  thread_->deleteLater();
  thread_ = nullptr;
  // Moved out first so Done may start the next job.
  Done done = std::move(done_);
  QString crash = crash_;
  if (wasPaused) emit pausedChanged(false);
  if (done) done(crash);
  emit finished(title, cancelled);
}

}  // namespace pl::ui
