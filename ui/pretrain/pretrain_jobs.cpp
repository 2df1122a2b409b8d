#include "ui/pretrain/pretrain_jobs.h"

#include <QObject>

#include "ui/project_job.h"

namespace pl::ui {

bool startPretraining(JobRunner& runner, const QString& projectPath,
                      const pl::PretrainOptions& options,
                      std::function<void(const pl::Result<pl::PretrainReport>&)> done) {
  QString name = QString::fromStdString(options.runName);
  // The status bar shows "title: phase", e.g. "run-3: Training tokenizer".
  QString title = options.resume ? QObject::tr("%1 (resumed)").arg(name) : name;
  return startProjectJob<pl::PretrainReport>(
      runner, title, projectPath,
      [options](pl::Project& project, pl::JobContext& context) {
        return pl::runPretraining(project, options, context);
      },
      std::move(done), "run");
}

}  // namespace pl::ui
