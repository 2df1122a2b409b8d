#include "ui/pretrain/pretrain_jobs.h"

#include <QObject>
#include <memory>
#include <optional>

#include "store/project.h"
#include "ui/job_runner.h"

namespace pl::ui {

bool startPretraining(JobRunner& runner, const QString& projectPath,
                      const pl::PretrainOptions& options,
                      std::function<void(const pl::Result<pl::PretrainReport>&)> done) {
  auto result = std::make_shared<std::optional<pl::Result<pl::PretrainReport>>>();
  std::string path = projectPath.toStdString();
  QString name = QString::fromStdString(options.runName);
  // The status bar shows "title: phase", e.g. "run-3: Training tokenizer".
  QString title = options.resume ? QObject::tr("%1 (resumed)").arg(name) : name;
  return runner.start(
      title,
      [result, path, options](pl::JobContext& context) {
        auto project = pl::Project::open(path, pl::OpenMode::Existing);
        if (!project) {
          result->emplace(project.error());
          return;
        }
        result->emplace(pl::runPretraining(**project, options, context));
      },
      [result, done = std::move(done)](const QString& crash) {
        if (!crash.isEmpty() || !*result) {
          done(pl::Error{crash.isEmpty() ? "the run stopped unexpectedly" : crash.toStdString()});
        } else {
          done(**result);
        }
      });
}

}  // namespace pl::ui
