#include "ui/project_jobs.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QStandardPaths>
#include <memory>
#include <optional>

#include "catalog/demo_project.h"
#include "store/project.h"
#include "store/project_info.h"
#include "ui/job_runner.h"
#include "ui/project_job.h"

namespace pl::ui {

QString demoProjectPath() {
  QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  return QDir(dir).filePath(QStringLiteral("demo.plens"));
}

bool startImport(JobRunner& runner, const QString& projectPath, const pl::ImportOptions& options,
                 std::function<void(const pl::Result<pl::ImportReport>&)> done) {
  QString title = QObject::tr("Importing %1").arg(QFileInfo(QString::fromStdString(
                                                       options.catalogPath)).fileName());
  return startProjectJob<pl::ImportReport>(
      runner, title, projectPath,
      [options](pl::Project& project, pl::JobContext& context) {
        return pl::importCatalog(project, options, context);
      },
      std::move(done), "import");
}

bool startDemoBuild(JobRunner& runner, const QString& projectPath,
                    std::function<void(const pl::Status&)> done) {
  auto status = std::make_shared<pl::Status>();
  std::string path = projectPath.toStdString();
  QDir().mkpath(QFileInfo(projectPath).absolutePath());
  return runner.start(
      QObject::tr("Building the demo project"),
      [status, path](pl::JobContext& context) {
        auto project = pl::Project::open(path, pl::OpenMode::CreateIfMissing);
        if (!project) {
          *status = project.error();
          return;
        }
        // A demo build that was cancelled leaves an empty project behind;
        // "building if needed" means exactly that case.
        auto info = pl::readProjectInfo(**project);
        if (info && info->products > 0) return;
        auto report = pl::buildDemoCatalog(**project, pl::defaultFashionMnistDir(), context);
        if (!report) *status = report.error();
      },
      [status, done = std::move(done)](const QString& crash) {
        done(crash.isEmpty() ? *status : pl::Status(pl::Error{crash.toStdString()}));
      });
}

}  // namespace pl::ui
