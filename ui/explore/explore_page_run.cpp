// The Explore page's run and map side: choosing a run, opening it, computing
// its embeddings and maps (with partial maps animating the view), export.

#include <QFileDialog>
#include <QLocale>
#include <QMessageBox>
#include <QSpinBox>
#include <algorithm>

#include "store/project.h"
#include "ui/explore/colour_legend.h"
#include "ui/explore/explore_page.h"
#include "ui/explore/explore_run_bar.h"
#include "ui/explore/map_view.h"
#include "ui/explore/neighbour_finder.h"
#include "ui/explore/neighbours_panel.h"
#include "ui/job_runner.h"

namespace pl::ui {

namespace {

QString methodLabel(pl::ProjectionMethod method) {
  switch (method) {
    case pl::ProjectionMethod::Pca: return QStringLiteral("PCA");
    case pl::ProjectionMethod::Tsne: return QStringLiteral("t-SNE");
    case pl::ProjectionMethod::Umap: return QStringLiteral("UMAP");
  }
  return {};
}

// Big points for a few products, small ones where a million would merge into a blot.
int defaultPointSize(int64_t points) {
  if (points < 20000) return 5;
  if (points < 200000) return 3;
  return 2;
}

}  // namespace

void ExplorePage::connectJobs() {
  connect(runBar_, &ExploreRunBar::runChosen, this, &ExplorePage::openRun);
  connect(runBar_, &ExploreRunBar::embedRequested, this, &ExplorePage::computeEmbeddings);
  connect(runBar_, &ExploreRunBar::mapRequested, this, &ExplorePage::computeMap);
  connect(runBar_, &ExploreRunBar::stopRequested, runner_, &JobRunner::cancel);
  connect(runBar_, &ExploreRunBar::exportRequested, this, [this] { exportCoordinates(); });
  connect(runBar_, &ExploreRunBar::methodChosen, this, [this](pl::ProjectionMethod method) {
    // A stored map of that method shows at once; otherwise the current one stays.
    if (!project_ || !run_.matrix || runner_->isRunning()) return;
    auto stored = pl::loadProjection(project_->db(), run_.runId, method);
    if (stored) {
      run_.projection = std::move(stored);
      showProjection(*run_.projection, true);
    } else runBar_->setMessage(tr("No %1 map yet: Compute map").arg(methodLabel(method)));
  });
  connect(runner_, &JobRunner::progress, runBar_, &ExploreRunBar::setProgress);
  connect(runner_, &JobRunner::partialResult, this, &ExplorePage::onPartial);
  connect(runner_, &JobRunner::started, this, &ExplorePage::updateState);
  connect(runner_, &JobRunner::finished, this, &ExplorePage::updateState);
}

void ExplorePage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!project_ || runner_->isRunning()) return;
  const QString current = runBar_->runName();
  const bool wasEmbedded = runBar_->run() && runBar_->run()->hasEmbeddings;
  runBar_->setRuns(listRunChoices(project_->db()), current);
  const RunChoice* run = runBar_->run();
  if (!run) return;
  if (run->name != current || (run->hasEmbeddings && !wasEmbedded) || (run->hasEmbeddings && !run_.matrix)) {
    openRun(run->name);
  } else {
    updateState();
  }
}

bool ExplorePage::isBusy() const { return runner_->isRunning(); }

void ExplorePage::stopAndWait() {
  if (!runner_->isRunning()) return;
  runner_->cancel();
  runner_->waitForFinished();
}

bool ExplorePage::hasMap() const { return map_->pointCount() > 0 && centre_->currentIndex() == 1; }

void ExplorePage::reloadRuns(const QString& select) {
  runBar_->setRuns(project_ ? listRunChoices(project_->db()) : std::vector<RunChoice>{}, select);
  updateState();
  if (!project_) {
    showPlaceholder(tr("<h2>Explore</h2><p>Open a project to see the map of its catalog.</p>"));
  } else if (!runBar_->run()) {
    showPlaceholder(tr("<h2>No runs yet</h2><p>Train a run on the <b>Pretrain</b> page; its "
                       "embeddings can then be explored here.</p>"));
  } else if (!runBar_->run()->hasEmbeddings) {
    showPlaceholder(tr("<h2>“%1” has no embeddings yet</h2><p>Compute them to see the map and "
                       "the neighbours: every product is embedded with the run's model.</p>")
                        .arg(runBar_->runName().toHtmlEscaped()));
  }
}

void ExplorePage::clearRun() {
  run_ = ExploreRun{};
  finder_->setRun(projectPath_, QString(), nullptr);
  clearMapPoints();
}

void ExplorePage::clearMapPoints() {
  map_->setPoints(std::make_shared<const std::vector<float>>(), false);
  map_->setHidden({});
  pointRowIds_.clear();
  pointOfMatrixRow_.clear();
  selection_.clear();
  focus_ = -1;
  neighbourPoints_.clear();
  searchHits_.clear();
  colours_ = PointColours{};
  neighbours_->showMessage(tr("Click a point on the map, or search a product."));
  refreshHighlights();
}

void ExplorePage::openRun(const QString& runName) {
  if (!project_ || runner_->isRunning()) return;
  clearRun();
  reloadRuns(runName);
  const RunChoice* run = runBar_->run();
  if (!run || !run->hasEmbeddings) return;
  showPlaceholder(tr("<h2>Opening “%1”…</h2>").arg(runName.toHtmlEscaped()));
  startOpenRun(*runner_, projectPath_, runName, runBar_->method(),
               [this](const pl::Result<ExploreRun>& result) { onRunOpened(result); });
  updateState();
}

void ExplorePage::onRunOpened(const pl::Result<ExploreRun>& result) {
  if (!result) {
    showPlaceholder(tr("<h2>Cannot open the run</h2><p>%1</p>")
                        .arg(QString::fromStdString(result.error().message).toHtmlEscaped()));
    updateState();
    return;
  }
  run_ = *result;
  finder_->setRun(projectPath_, run_.name, run_.search);
  runBar_->setMessage(tr("%1 products, %2 dimensions, %3 search")
                          .arg(QLocale().toString(qlonglong(run_.matrix->rows())))
                          .arg(run_.matrix->dim)
                          .arg(QString::fromStdString(pl::neighborMethodName(run_.search->method()))));
  if (run_.projection) {
    runBar_->setMethod(run_.projection->method);
    showProjection(*run_.projection, true);
  } else {
    showPlaceholder(tr("<h2>No map of “%1” yet</h2><p>Choose PCA (seconds), t-SNE or UMAP "
                       "(minutes on large catalogs; the map animates while it converges) and "
                       "press <b>Compute map</b>.</p>").arg(run_.name.toHtmlEscaped()));
  }
  updateState();
  emit runOpened(run_.name);
}

void ExplorePage::computeEmbeddings() {
  if (!project_ || runner_->isRunning() || !runBar_->run()) return;
  const QString name = runBar_->runName();
  clearRun();
  showPlaceholder(tr("<h2>Embedding the catalog with “%1”…</h2><p>Progress and Stop are "
                     "above.</p>").arg(name.toHtmlEscaped()));
  startEmbedding(*runner_, projectPath_, name, [this, name](const pl::Result<pl::EmbedReport>& r) {
    if (!r) {
      reloadRuns(name);
      runBar_->setMessage(QString::fromStdString(r.error().message));
      if (run_.matrix == nullptr && runBar_->run() && runBar_->run()->hasEmbeddings) openRun(name);
      return;
    }
    runBar_->setMessage(tr("%1 products embedded in %2 s")
                            .arg(QLocale().toString(qlonglong(r->products)))
                            .arg(r->seconds, 0, 'f', 1));
    // Next event loop turn: the runner is still finishing this job.
    QMetaObject::invokeMethod(this, [this, name] { openRun(name); }, Qt::QueuedConnection);
  });
  updateState();
}

void ExplorePage::computeMap() {
  if (!project_ || runner_->isRunning() || !run_.matrix) return;
  pl::ProjectionOptions options = runBar_->options();
  mapComputing_ = true;
  followAnimation_ = true;
  shownMethod_ = options.method;
  startProjection(*runner_, projectPath_, run_.name, options,
                  [this](const pl::Result<pl::Projection>& result) {
                    mapComputing_ = false;
                    if (!result) {
                      // Stopped or failed: nothing was stored, so the map that
                      // was (or none) comes back instead of a half-done one.
                      if (run_.projection) {
                        showProjection(*run_.projection, true);
                      } else {
                        clearMapPoints();
                        showPlaceholder(tr("<h2>No map of “%1” yet</h2>").arg(run_.name.toHtmlEscaped()));
                      }
                      runBar_->setMessage(QString::fromStdString(result.error().message));
                      return;
                    }
                    run_.projection = *result;
                    showProjection(*result, followAnimation_);
                    runBar_->setMessage(tr("%1 map in %2 s")
                                            .arg(methodLabel(result->method))
                                            .arg(result->seconds, 0, 'f', 1));
                  });
  updateState();
}

void ExplorePage::onPartial(const std::any& partial) {
  if (!mapComputing_ || !run_.matrix) return;
  auto* snapshot = std::any_cast<std::shared_ptr<const pl::ProjectionSnapshot>>(&partial);
  if (!snapshot || !*snapshot) return;
  const auto& s = **snapshot;
  if (static_cast<int64_t>(s.xy.size()) != 2 * run_.matrix->rows()) return;
  // Snapshots are in matrix row order; share their coordinates, no copy.
  if (pointRowIds_ != run_.matrix->rowIds) {
    setPointRowIds(run_.matrix->rowIds);
    pointSize_->setValue(defaultPointSize(run_.matrix->rows()));
  }
  const bool first = centre_->currentIndex() != 1;
  centre_->setCurrentIndex(1);
  map_->setPoints(PointCoordinates(*snapshot, &s.xy), first || followAnimation_);
  if (first) colourBy(colourBy_->currentIndex());
  if (s.iterations > 0) {
    runBar_->setProgress(s.iteration, s.iterations,
                         tr("%1 iteration %2 of %3").arg(methodLabel(s.method)).arg(s.iteration).arg(s.iterations));
  }
  emit mapShown();
}

void ExplorePage::showProjection(const pl::Projection& projection, bool fitView) {
  shownMethod_ = projection.method;
  const bool sameRows = projection.rowIds == pointRowIds_;
  if (!sameRows) {
    setPointRowIds(projection.rowIds);
    pointSize_->setValue(defaultPointSize(projection.points()));
  }
  centre_->setCurrentIndex(1);
  map_->setPoints(std::make_shared<const std::vector<float>>(projection.xy), fitView || !sameRows);
  if (!sameRows) colourBy(colourBy_->currentIndex());
  refreshHighlights();
  updateState();
  emit mapShown();
}

void ExplorePage::setPointRowIds(std::vector<int64_t> rowIds) {
  pointRowIds_ = std::move(rowIds);
  pointOfMatrixRow_.clear();
  selection_.clear();
  focus_ = -1;
  neighbourPoints_.clear();
  searchHits_.clear();
  map_->setHidden({});
  if (run_.matrix && run_.matrix->rowIds != pointRowIds_) {
    // A map of other rows than the embeddings (embedded again since):
    // neighbours are matrix rows, so translate them through the ids.
    pointOfMatrixRow_.assign(static_cast<size_t>(run_.matrix->rows()), -1);
    for (int64_t r = 0; r < run_.matrix->rows(); ++r) pointOfMatrixRow_[r] = pointOfRowId(run_.matrix->rowIds[r]);
  }
}

bool ExplorePage::exportCoordinates(const QString& path) {
  if (!project_ || !hasMap()) return false;
  QString target = path;
  if (target.isEmpty()) {
    target = QFileDialog::getSaveFileName(
        this, tr("Export coordinates"),
        QStringLiteral("%1-%2.csv").arg(run_.name, methodLabel(shownMethod_).toLower()),
        tr("CSV files (*.csv)"));
    if (target.isEmpty()) return false;
  }
  pl::Projection shown;
  shown.method = shownMethod_;
  shown.rowIds = pointRowIds_;
  shown.xy = *map_->cloud()->points();
  pl::Status status = pl::exportProjectionCsv(project_->db(), shown, target.toStdString());
  if (!status) {
    if (path.isEmpty()) {
      QMessageBox::critical(this, tr("Export failed"), QString::fromStdString(status.error().message));
    }
    return false;
  }
  runBar_->setMessage(tr("Coordinates written to %1").arg(target));
  return true;
}

}  // namespace pl::ui
