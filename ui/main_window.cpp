#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>

#include "store/project.h"
#include "ui/data_page.h"
#include "ui/explore/explore_page.h"
#include "ui/finetune/finetune_page.h"
#include "ui/import_dialog.h"
#include "ui/import_summary.h"
#include "ui/job_progress_widget.h"
#include "ui/job_runner.h"
#include "ui/export/export_page.h"
#include "ui/export/model_import_panel.h"
#include "ui/pretrain/pretrain_page.h"
#include "ui/product_selection.h"
#include "ui/project_jobs.h"
#include "ui/recent_projects.h"

namespace pl::ui {

namespace {

const char* kProjectFilter = "ProductLens projects (*.plens);;All files (*)";

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("ProductLens"));
  jobs_ = new JobRunner(this);
  createPages();
  createMenus();
  createStatusBar();
  resize(1280, 800);
  restoreSettings();
}

MainWindow::~MainWindow() {
  // The pages hold a pointer into project_; detach before it goes. A run
  // still training (no closeEvent, e.g. in tests) stops with a checkpoint.
  pretrainPage_->stopAndWait();
  finetunePage_->stopAndWait();
  dataPage_->setProject(nullptr);
  pretrainPage_->setProject(nullptr);
  finetunePage_->setProject(nullptr);
  explorePage_->setProject(nullptr);  // stops a map in progress
  exportPage_->setProject(nullptr);
}

void MainWindow::createPages() {
  nav_ = new QListWidget;
  nav_->setObjectName(QStringLiteral("navigation"));
  nav_->setIconSize(QSize(20, 20));
  nav_->setSpacing(2);
  nav_->setFixedWidth(150);
  nav_->setFrameShape(QFrame::NoFrame);
  pages_ = new QStackedWidget;
  dataPage_ = new DataPage;
  pretrainPage_ = new PretrainPage(jobs_);
  // Its own runner: a map can be computed while a run trains on jobs_.
  explorePage_ = new pl::ui::ExplorePage;
  // The products picked last in the Data table or on the map: a fine-tune subset.
  selection_ = new ProductSelection(this);
  finetunePage_ = new FinetunePage(jobs_, selection_);
  exportPage_ = new pl::ui::ExportPage(jobs_);

  QStyle* s = style();
  auto addPage = [this](const QIcon& icon, const QString& name, QWidget* page) {
    new QListWidgetItem(icon, name, nav_);
    pages_->addWidget(page);
  };
  addPage(s->standardIcon(QStyle::SP_FileDialogDetailedView), tr("Data"), dataPage_);
  addPage(s->standardIcon(QStyle::SP_MediaPlay), tr("Pretrain"), pretrainPage_);
  addPage(s->standardIcon(QStyle::SP_BrowserReload), tr("Fine-tune"), finetunePage_);
  addPage(s->standardIcon(QStyle::SP_FileDialogContentsView), tr("Explore"), explorePage_);
  addPage(s->standardIcon(QStyle::SP_DialogSaveButton), tr("Export"), exportPage_);
  connect(nav_, &QListWidget::currentRowChanged, pages_, &QStackedWidget::setCurrentIndex);
  nav_->setCurrentRow(DataPageIndex);

  auto* central = new QWidget;
  auto* layout = new QHBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(nav_);
  auto* line = new QFrame;
  line->setFrameShape(QFrame::VLine);
  line->setFrameShadow(QFrame::Sunken);
  layout->addWidget(line);
  // Above the pages: why a project opened read-only, while it is.
  readOnlyBanner_ = new QLabel;
  readOnlyBanner_->setObjectName(QStringLiteral("readOnlyBanner"));
  readOnlyBanner_->setWordWrap(true);
  readOnlyBanner_->setStyleSheet(QStringLiteral(
      "QLabel{background:#fff4ce;color:#4d3b00;border-bottom:1px solid #e0c560;padding:6px 10px}"));
  readOnlyBanner_->hide();
  auto* right = new QVBoxLayout;
  right->setContentsMargins(0, 0, 0, 0);
  right->setSpacing(0);
  right->addWidget(readOnlyBanner_);
  right->addWidget(pages_, 1);
  layout->addLayout(right, 1);
  setCentralWidget(central);

  connect(dataPage_, &DataPage::productCountChanged, this, [this](qint64 count) {
    countLabel_->setText(tr("%1 products").arg(QLocale().toString(count)));
  });
  connect(dataPage_, &DataPage::productsSelected, this, [this](const std::vector<int64_t>& ids) {
    selection_->set(tr("the Data page table"), ids);
  });
  connect(explorePage_, &pl::ui::ExplorePage::selectionChanged, this, [this] {
    selection_->set(tr("the Explore map"), explorePage_->selectedRowIds());
  });
  connect(finetunePage_, &FinetunePage::predictionsChanged, dataPage_,
          &DataPage::reloadPredictions);
  // An applied model is a new run: the pages that list runs list it too.
  connect(exportPage_->importPanel(), &pl::ui::ModelImportPanel::modelImported, this, [this] {
    pretrainPage_->reloadHistory();
    finetunePage_->setProject(project_.get());
    explorePage_->setProject(project_.get());
  });
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&New Project…"), QKeySequence::New, this, &MainWindow::newProject);
  file->addAction(tr("&Open Project…"), QKeySequence::Open, this, &MainWindow::openProjectDialog);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  file->addAction(tr("Open &Demo Project"), this, &MainWindow::openDemoProject);
  file->addSeparator();
  file->addAction(tr("&Import Catalog…"), QKeySequence(tr("Ctrl+I")), this,
                  &MainWindow::importCatalog);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(tr("&Find Products"), QKeySequence::Find, this, [this] {
    // The Explore page has its own search box (it selects on the map).
    if (pages_->currentWidget() == explorePage_) {
      explorePage_->focusSearch();
      return;
    }
    showPage(DataPageIndex);
    dataPage_->focusSearch();
  });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About ProductLens"), this, [this] {
    QMessageBox::about(this, tr("About ProductLens"),
                       tr("<h3>ProductLens %1</h3><p>A workbench for learning product "
                          "embeddings from catalogs, images and baskets.</p>")
                           .arg(QStringLiteral(PL_VERSION)));
  });
  rebuildRecentMenu();
}

void MainWindow::createStatusBar() {
  pathLabel_ = new QLabel(tr("No project"));
  pathLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  countLabel_ = new QLabel;
  trainingLabel_ = new QLabel;
  trainingLabel_->setObjectName(QStringLiteral("trainingStatus"));
  statusBar()->addWidget(pathLabel_, 1);
  statusBar()->addPermanentWidget(trainingLabel_);
  statusBar()->addPermanentWidget(new JobProgressWidget(jobs_));
  statusBar()->addPermanentWidget(countLabel_);
  // Step, epoch, loss, tokens/s and time left while a run trains.
  connect(pretrainPage_, &PretrainPage::statusSummaryChanged, trainingLabel_, &QLabel::setText);
}

void MainWindow::showPage(Page page) { nav_->setCurrentRow(page); }

bool MainWindow::refuseWhileBusy(const QString& action) {
  if (!jobs_->isRunning()) return false;
  if (pretrainPage_->isTraining()) {
    auto answer = QMessageBox::question(
        this, tr("A run is training"),
        tr("“%1” is still training. Stop it%2? A checkpoint is saved first; resume the run later "
           "from the Pretrain page.")
            .arg(jobs_->title(), action.isEmpty() ? QString() : tr(" and %1").arg(action)));
    if (answer != QMessageBox::Yes) return true;
    pretrainPage_->stopAndWait();
    return false;
  }
  QMessageBox::information(this, tr("A job is running"),
                           tr("“%1” is still running. Wait for it to finish or cancel it in the "
                              "status bar first.").arg(jobs_->title()));
  return true;
}

void MainWindow::showReadOnlyBanner() {
  const bool readOnly = project_ && project_->readOnly();
  readOnlyBanner_->setVisible(readOnly);
  if (!readOnly) return;
  readOnlyBanner_->setText(tr("<b>Read-only:</b> %1. You can browse, explore and export; training, imports and "
                              "other changes are refused. Reopen the project once it can be written.")
                               .arg(QString::fromStdString(project_->readOnlyReason()).toHtmlEscaped()));
  setWindowTitle(tr("%1 (read-only) — ProductLens").arg(QFileInfo(QString::fromStdString(project_->path())).fileName()));
}

void MainWindow::showError(const QString& title, const QString& message) {
  QMessageBox::critical(this, title, message);
}

bool MainWindow::openProject(const QString& path) {
  if (refuseWhileBusy(tr("open another project"))) return false;
  auto opened = pl::Project::open(path.toStdString(), pl::OpenMode::WritableOrReadOnly);
  if (!opened) {
    if (!QFileInfo::exists(path)) RecentProjects::remove(path);
    rebuildRecentMenu();
    showError(tr("Cannot open project"), QString::fromStdString(opened.error().message));
    return false;
  }
  closeProject();
  project_ = std::move(*opened);
  dataPage_->setProject(project_.get());
  pretrainPage_->setProject(project_.get());
  finetunePage_->setProject(project_.get());
  explorePage_->setProject(project_.get());
  exportPage_->setProject(project_.get());
  RecentProjects::add(path);
  rebuildRecentMenu();
  setWindowTitle(tr("%1 — ProductLens").arg(QFileInfo(path).fileName()));
  pathLabel_->setText(QFileInfo(path).absoluteFilePath());
  showReadOnlyBanner();
  showPage(DataPageIndex);
  return true;
}

void MainWindow::closeProject() {
  readOnlyBanner_->hide();
  dataPage_->setProject(nullptr);
  pretrainPage_->setProject(nullptr);
  finetunePage_->setProject(nullptr);
  explorePage_->setProject(nullptr);
  exportPage_->setProject(nullptr);
  selection_->set(QString(), {});
  project_.reset();
  countLabel_->clear();
  pathLabel_->setText(tr("No project"));
  setWindowTitle(tr("ProductLens"));
}

void MainWindow::newProject() {
  if (refuseWhileBusy(tr("create a project"))) return;
  QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QString(),
                                              tr(kProjectFilter), nullptr,
                                              QFileDialog::DontConfirmOverwrite);
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".plens");
  if (QFileInfo::exists(path)) {
    // Never silently reuse or wipe a file the user may still need.
    showError(tr("Cannot create project"),
              tr("%1 already exists. Open it with File › Open Project, or choose a new name.")
                  .arg(path));
    return;
  }
  auto created = pl::Project::open(path.toStdString(), pl::OpenMode::CreateIfMissing);
  if (!created) {
    showError(tr("Cannot create project"), QString::fromStdString(created.error().message));
    return;
  }
  created->reset();
  if (openProject(path)) importCatalog();
}

void MainWindow::openProjectDialog() {
  QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                              tr(kProjectFilter));
  if (!path.isEmpty()) openProject(path);
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = RecentProjects::load();
  for (const QString& path : recent) {
    recentMenu_->addAction(QFileInfo(path).fileName() + QStringLiteral("  —  ") + path, this,
                           [this, path] { openProject(path); });
  }
  if (recent.isEmpty()) recentMenu_->addAction(tr("(none yet)"))->setEnabled(false);
  recentMenu_->addSeparator();
  recentMenu_->addAction(tr("Clear List"), this, [this] {
    RecentProjects::clear();
    rebuildRecentMenu();
  });
}

void MainWindow::importCatalog() {
  if (refuseWhileBusy()) return;
  if (!project_) {
    showError(tr("No project open"),
              tr("Create a project with File › New Project (or open one) before importing."));
    return;
  }
  ImportDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  QString path = QString::fromStdString(project_->path());
  startImport(*jobs_, path, dialog.options(),
              [this, path](const pl::Result<pl::ImportReport>& result) {
                if (!project_ || QString::fromStdString(project_->path()) != path) return;
                dataPage_->reload();
                if (result) {
                  showImportSummary(this, *result);
                } else if (jobs_->wasCancelled()) {
                  statusBar()->showMessage(QString::fromStdString(result.error().message), 10000);
                } else {
                  showError(tr("Import failed"), QString::fromStdString(result.error().message));
                }
              });
}

void MainWindow::openDemoProject() {
  if (refuseWhileBusy(tr("open the demo project"))) return;
  QString path = demoProjectPath();
  statusBar()->showMessage(tr("Preparing the demo project in %1").arg(path));
  closeProject();
  dataPage_->showPlaceholder(
      tr("<h2>Preparing the demo project</h2><p>70,000 Fashion-MNIST articles with their "
         "pictures, from Debian's dataset-fashion-mnist package. It opens by itself when ready; "
         "progress and <b>Cancel</b> are in the status bar.</p>"));
  startDemoBuild(*jobs_, path, [this, path](const pl::Status& status) {
    statusBar()->clearMessage();
    if (!status) dataPage_->setProject(nullptr);  // back to the "no project" hint
    if (!status && jobs_->wasCancelled()) {
      statusBar()->showMessage(tr("Demo build cancelled."), 10000);
      return;
    }
    if (!status) {
      showError(tr("Cannot build the demo project"),
                QString::fromStdString(status.error().message));
      return;
    }
    openProject(path);
  });
}

void MainWindow::openStartupProject() {
  const QStringList recent = RecentProjects::load();
  for (const QString& path : recent) {
    if (QFileInfo::exists(path)) {
      openProject(path);
      return;
    }
  }
  openDemoProject();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (pretrainPage_->isTraining()) {
    if (refuseWhileBusy(tr("quit"))) {
      event->ignore();
      return;
    }
  } else if (jobs_->isRunning()) {
    auto answer = QMessageBox::question(
        this, tr("A job is running"),
        tr("“%1” is still running. Cancel it and quit? The project is left as it was before "
           "the job started.").arg(jobs_->title()));
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
    jobs_->cancel();
    jobs_->waitForFinished();
  }
  // A map in progress is not worth a question: it is stored only when done.
  explorePage_->stopAndWait();
  saveSettings();
  event->accept();
}

void MainWindow::saveSettings() {
  QSettings settings;
  settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("mainWindow/state"), saveState());
  settings.setValue(QStringLiteral("mainWindow/page"), nav_->currentRow());
  dataPage_->saveState(settings);
}

void MainWindow::restoreSettings() {
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
  nav_->setCurrentRow(settings.value(QStringLiteral("mainWindow/page"), 0).toInt());
  dataPage_->restoreState(settings);
}

}  // namespace pl::ui
