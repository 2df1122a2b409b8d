#include "ui/pretrain/pretrain_page.h"

#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QUrl>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "catalog/demo_project.h"
#include "common/atomic_file.h"
#include "export/run_report.h"
#include "image/product_images.h"
#include "store/project.h"
#include "store/run_store.h"
#include "ui/curves/training_curves_view.h"
#include "ui/export/report_pdf.h"
#include "ui/pretrain/image_preview_panel.h"
#include "ui/pretrain/pretrain_jobs.h"
#include "ui/pretrain/project_facts.h"
#include "ui/pretrain/run_config_panel.h"
#include "ui/pretrain/run_details_panel.h"
#include "ui/pretrain/run_history_model.h"
#include "ui/pretrain/run_log_panel.h"
#include "ui/pretrain/training_status_panel.h"

namespace pl::ui {

PretrainPage::PretrainPage(JobRunner* runner, QWidget* parent) : QWidget(parent), runner_(runner) {
  config_ = new RunConfigPanel;
  config_->setMinimumWidth(340);
  curves_ = new TrainingCurvesView;
  curves_->setMinimumHeight(260);

  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(makeControls());
  auto* vertical = new QSplitter(Qt::Vertical);
  vertical->addWidget(curves_);
  vertical->addWidget(makeLowerPart());
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 2);
  vertical->setChildrenCollapsible(false);
  rightLayout->addWidget(vertical, 1);

  auto* horizontal = new QSplitter(Qt::Horizontal);
  horizontal->addWidget(config_);
  horizontal->addWidget(right);
  horizontal->setStretchFactor(0, 0);
  horizontal->setStretchFactor(1, 1);
  horizontal->setSizes({380, 900});
  horizontal->setChildrenCollapsible(false);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  layout->addWidget(horizontal);

  historyTimer_ = new QTimer(this);
  historyTimer_->setInterval(5000);  // the live row's steps and duration
  connect(historyTimer_, &QTimer::timeout, this, &PretrainPage::reloadHistory);
  connect(config_, &RunConfigPanel::changed, this, &PretrainPage::updateControls);
  // Settings arrive a field at a time while typing: redraw the picture views once it settles.
  previewTimer_ = new QTimer(this);
  previewTimer_->setSingleShot(true);
  previewTimer_->setInterval(250);
  connect(previewTimer_, &QTimer::timeout, this, &PretrainPage::refreshPicturePreview);
  connect(config_, &RunConfigPanel::changed, previewTimer_, qOverload<>(&QTimer::start));
  connect(runName_, &QLineEdit::textChanged, this, &PretrainPage::updateControls);
  connect(status_, &TrainingStatusPanel::summaryChanged, this, &PretrainPage::statusSummaryChanged);
  createShortcuts();
  connectRunner();
  setProject(nullptr);
}

QWidget* PretrainPage::makeControls() {
  runName_ = new QLineEdit;
  runName_->setObjectName(QStringLiteral("runName"));
  runName_->setToolTip(tr("Name of the new run; its files go to <project>.runs/<name>/"));
  runNameProblem_ = new QLabel;
  runNameProblem_->setStyleSheet(QStringLiteral("color: #b00020;"));
  startButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"));
  startButton_->setToolTip(tr("Start a new run with this configuration (Ctrl+Return)"));
  pauseButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
  pauseButton_->setToolTip(tr("Pause or continue the run (Ctrl+P)"));
  stopButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
  stopButton_->setToolTip(tr("Stop the run after saving a checkpoint; resume it later (Ctrl+.)"));
  status_ = new TrainingStatusPanel;

  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Run name")));
  row->addWidget(runName_, 1);
  row->addWidget(runNameProblem_);
  row->addWidget(startButton_);
  row->addWidget(pauseButton_);
  row->addWidget(stopButton_);
  auto* box = new QWidget;
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(row);
  layout->addWidget(status_);
  connect(startButton_, &QPushButton::clicked, this, &PretrainPage::start);
  connect(pauseButton_, &QPushButton::clicked, this, &PretrainPage::togglePause);
  connect(stopButton_, &QPushButton::clicked, this, &PretrainPage::stop);
  return box;
}

QWidget* PretrainPage::makeLowerPart() {
  history_ = new RunHistoryModel(this);
  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("runHistory"));
  table_->setModel(history_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(RunHistoryModel::Objectives,
                                                   QHeaderView::Stretch);
  details_ = new RunDetailsPanel;
  log_ = new RunLogPanel;
  tabs_ = new QTabWidget;
  tabs_->addTab(details_, tr("Run details"));
  tabs_->addTab(log_, tr("Log"));
  pictures_ = new ImagePreviewPanel;
  tabs_->addTab(pictures_, tr("Pictures"));

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(table_);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setChildrenCollapsible(false);
  connect(history_, &RunHistoryModel::overlayToggled, this, &PretrainPage::onOverlayToggled);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &PretrainPage::onSelectionChanged);
  connect(details_, &RunDetailsPanel::cloneRequested, this, &PretrainPage::cloneSelected);
  connect(details_, &RunDetailsPanel::resumeRequested, this, &PretrainPage::resumeSelected);
  connect(details_, &RunDetailsPanel::reportRequested, this, [this] { writeReport(); });
  return split;
}

void PretrainPage::createShortcuts() {
  // Anywhere in the window while this page is shown: Qt disables the
  // shortcuts of hidden widgets, so other pages keep these keys.
  auto add = [this](const QKeySequence& keys, auto slot) {
    auto* shortcut = new QShortcut(keys, this);
    shortcut->setContext(Qt::WindowShortcut);
    connect(shortcut, &QShortcut::activated, this, slot);
  };
  add(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { start(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { start(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_P), [this] { togglePause(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_Period), [this] { stop(); });
  add(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), [this] { resumeSelected(); });
}

void PretrainPage::connectRunner() {
  // The runner is shared with imports: react only to our own runs.
  connect(runner_, &JobRunner::metrics, this, &PretrainPage::onMetrics);
  connect(runner_, &JobRunner::progress, this,
          [this](qint64 done, qint64 total, const QString& phase) {
            if (training_) status_->onProgress(done, total, phase);
          });
  connect(runner_, &JobRunner::logMessage, this, [this](int level, const QString& message) {
    if (training_) log_->addMessage(level, message);
  });
  connect(runner_, &JobRunner::pausedChanged, this, &PretrainPage::onPausedChanged);
  connect(runner_, &JobRunner::partialResult, this, [this](const std::any& result) {
    using Preview = std::shared_ptr<const pl::ImagePreview>;
    if (!training_ || result.type() != typeid(Preview)) return;
    pictures_->showPreview(std::any_cast<Preview>(result));
  });
  connect(runner_, &JobRunner::started, this, &PretrainPage::updateControls);
  connect(runner_, &JobRunner::finished, this, &PretrainPage::updateControls);
}

void PretrainPage::setProject(pl::Project* project) {
  project_ = project;
  curves_->clear();
  liveRunId_ = 0;
  if (project_) {
    pl::Database* db = &project_->db();
    config_->setProjectFacts(readProjectFacts(*db), [db](const std::string& field) {
      return fieldCardinality(*db, field);
    });
  } else {
    config_->setProjectFacts(ProjectFacts{});
  }
  reloadHistory();
  // A fresh demo project starts from the recipe made for it (pictures only:
  // its titles are just image numbers).
  if (project_ && history_->runs().empty() && pl::hasDemoCatalog(project_->db())) {
    config_->setConfig(pl::demoRunConfig());
  }
  // The newest run on the plots and in the details: an opened project shows
  // where it stands instead of empty axes.
  if (!history_->runs().empty()) {
    const qint64 newest = history_->runs().back().run.id;
    history_->setOverlaid(newest, true);
    selectRun(newest);
  }
  runName_->setText(nextRunName());
  updateControls();
  refreshPicturePreview();
}

bool PretrainPage::writeReport(QString path) {
  const RunSummary* run = selectedRun();
  if (!project_ || !run) return false;
  const QString name = QString::fromStdString(run->run.name);
  const bool interactive = path.isEmpty();
  if (interactive) {
    const QString suggested = QFileInfo(QString::fromStdString(project_->path())).absolutePath() + "/" + name + "-report.html";
    path = QFileDialog::getSaveFileName(this, tr("Write run report (HTML, with a PDF beside it)"), suggested,
                                        tr("HTML (*.html)"));
    if (path.isEmpty()) return false;
  }
  // The HTML is the report; the PDF, printed from it, sits beside it.
  QString error;
  auto html = pl::runReportHtml(*project_, name.toStdString());
  if (!html) error = QString::fromStdString(html.error().message);
  else if (pl::Status s = pl::writeFileAtomically(path.toStdString(), *html); !s) error = QString::fromStdString(s.error().message);
  else error = printReportPdf(QString::fromStdString(*html), pdfPathFor(path));
  if (!error.isEmpty()) {
    if (interactive) QMessageBox::warning(this, tr("Run report"), error);
    return false;
  }
  if (interactive) QDesktopServices::openUrl(QUrl::fromLocalFile(path));
  return true;
}

void PretrainPage::refreshPicturePreview() {
  if (training_) return;
  const pl::RunConfig c = config_->config();
  if (!project_ || !c.usesImages() || !config_->isValid()) {
    pictures_->showPreview(nullptr);
    return;
  }
  try {
    pl::Database& db = project_->db();
    const std::vector<int64_t> ids = pl::picturedProductIds(db, 4);
    auto images = pl::ProductImages::load(db, ids, c.image, 0);
    std::vector<int32_t> items;
    for (size_t i = 0; i < ids.size(); ++i) items.push_back(static_cast<int32_t>(i));
    pictures_->showPreview(
        std::make_shared<const pl::ImagePreview>(pl::previewImageViews(*images, ids, items, c, c.seed)));
  } catch (const pl::StoreError&) {
    pictures_->showPreview(nullptr);  // the project is busy or gone; the next change retries
  }
}

void PretrainPage::reloadHistory() {
  qint64 selected = 0;
  if (const RunSummary* s = selectedRun()) selected = s->run.id;
  history_->setRuns(project_ ? loadRunSummaries(project_->db()) : std::vector<RunSummary>{});
  QString live = stopping_ ? tr("stopping") : runner_->isPaused() ? tr("paused") : QString();
  history_->setLiveRun(training_ ? liveRunId_ : 0, live);
  if (selected)
    selectRun(selected);
  else
    onSelectionChanged();
}

void PretrainPage::selectRun(qint64 runId) {
  int row = history_->rowOf(runId);
  if (row < 0) return;
  table_->selectionModel()->setCurrentIndex(
      history_->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  onSelectionChanged();
}

const RunSummary* PretrainPage::selectedRun() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  return rows.isEmpty() ? nullptr : history_->runAt(rows.first().row());
}

void PretrainPage::onSelectionChanged() {
  const RunSummary* run = selectedRun();
  details_->showRun(run, run && training_ && run->run.id == liveRunId_);
  details_->setIdle(project_ && !runner_->isRunning());
}

QString PretrainPage::nextRunName(const QString& base) const {
  QString stem = base;
  stem.remove(QRegularExpression(QStringLiteral("-\\d+$")));
  for (int n = 1;; ++n) {
    QString name = QStringLiteral("%1-%2").arg(stem).arg(n);
    bool taken = name == liveName_ && training_;
    for (const auto& s : history_->runs())
      taken = taken || QString::fromStdString(s.run.name) == name;
    if (!taken) return name;
  }
}

QString PretrainPage::runNameProblem() const {
  QString name = runName_->text().trimmed();
  if (name.isEmpty()) return tr("name the run");
  // The name becomes a folder beside the project.
  if (name.contains(QRegularExpression(QStringLiteral("[/\\\\:*?\"<>|]")))) {
    return tr("no / \\ : * ? \" < > | in names");
  }
  for (const auto& s : history_->runs()) {
    if (QString::fromStdString(s.run.name) == name) return tr("name already used");
  }
  return {};
}

void PretrainPage::updateControls() {
  bool busy = runner_->isRunning();
  QString nameProblem = project_ ? runNameProblem() : QString();
  runNameProblem_->setText(nameProblem);
  runNameProblem_->setVisible(!nameProblem.isEmpty());
  startButton_->setEnabled(project_ && !busy && config_->isValid() && nameProblem.isEmpty());
  pauseButton_->setEnabled(training_ && !stopping_);
  stopButton_->setEnabled(training_ && !stopping_);
  bool paused = training_ && runner_->isPaused();
  pauseButton_->setText(paused ? tr("Continue") : tr("Pause"));
  pauseButton_->setIcon(
      style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
  details_->setIdle(project_ && !busy);
}

}  // namespace pl::ui
