#include "ui/explore/explore_jobs.h"

#include "store/project.h"
#include "store/run_store.h"
#include "ui/project_job.h"

namespace pl::ui {

std::vector<RunChoice> listRunChoices(pl::Database& db) {
  std::vector<RunChoice> choices;
  auto embedded = db.prepare("SELECT EXISTS(SELECT 1 FROM embeddings WHERE run_id = ?)");
  for (const pl::RunRecord& run : pl::listRuns(db)) {
    embedded.bind(1, run.id);
    bool has = embedded.step() && embedded.int64(0) != 0;
    embedded.reset();
    choices.push_back({run.id, QString::fromStdString(run.name), QString::fromStdString(run.status), has});
  }
  return choices;
}

bool startOpenRun(JobRunner& runner, const QString& projectPath, const QString& runName,
                  pl::ProjectionMethod preferred,
                  std::function<void(const pl::Result<ExploreRun>&)> done) {
  const std::string name = runName.toStdString();
  return startProjectJob<ExploreRun>(
      runner, QObject::tr("Opening run %1").arg(runName), projectPath,
      [name, preferred](pl::Project& project, pl::JobContext& context) -> pl::Result<ExploreRun> {
        auto run = pl::findRun(project.db(), name);
        if (!run) return pl::Error{"there is no run named '" + name + "'"};
        context.progress(0, 1, "Loading embeddings");
        auto matrix = pl::loadEmbeddingMatrix(project.db(), run->id, name);
        if (!matrix) return matrix.error();
        ExploreRun out;
        out.runId = run->id;
        out.name = QString::fromStdString(name);
        out.matrix = std::make_shared<const pl::EmbeddingMatrix>(std::move(*matrix));
        auto search = pl::openNeighborSearch(project, name, pl::NeighborMethod::Auto, context,
                                             out.matrix);
        if (!search) return search.error();
        out.search = std::shared_ptr<const pl::NeighborSearch>(std::move(*search));
        out.storedMethods = pl::listProjections(project.db(), run->id);
        if (!out.storedMethods.empty()) {
          pl::ProjectionMethod method = out.storedMethods.front();
          for (auto m : out.storedMethods) {
            if (m == preferred) method = m;
          }
          out.projection = pl::loadProjection(project.db(), run->id, method);
        }
        return out;
      },
      std::move(done), "opening of the run");
}

bool startEmbedding(JobRunner& runner, const QString& projectPath, const QString& runName,
                    std::function<void(const pl::Result<pl::EmbedReport>&)> done) {
  const std::string name = runName.toStdString();
  return startProjectJob<pl::EmbedReport>(
      runner, QObject::tr("Embedding %1").arg(runName), projectPath,
      [name](pl::Project& project, pl::JobContext& context) {
        return pl::computeEmbeddings(project, name, context);
      },
      std::move(done), "embedding");
}

bool startProjection(JobRunner& runner, const QString& projectPath, const QString& runName,
                     const pl::ProjectionOptions& options,
                     std::function<void(const pl::Result<pl::Projection>&)> done) {
  const std::string name = runName.toStdString();
  return startProjectJob<pl::Projection>(
      runner,
      QObject::tr("%1 map of %2")
          .arg(QString::fromStdString(pl::projectionMethodName(options.method)).toUpper(), runName),
      projectPath,
      [name, options](pl::Project& project, pl::JobContext& context) {
        return pl::runProjectionJob(project, name, options, context);
      },
      std::move(done), "map computation");
}

}  // namespace pl::ui
