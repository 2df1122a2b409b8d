#include "ui/finetune/finetune_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <exception>

#include "catalog/demo_project.h"
#include "store/project.h"
#include "store/run_store.h"
#include "ui/curves/training_curves_view.h"
#include "ui/finetune/confusion_matrix_view.h"
#include "ui/finetune/eval_results_model.h"
#include "ui/finetune/finetune_settings_panel.h"
#include "ui/finetune/label_efficiency_chart.h"
#include "ui/finetune/subset_chooser.h"
#include "ui/pretrain/run_log_panel.h"

namespace pl::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

FinetunePage::FinetunePage(JobRunner* runner, ProductSelection* selection, QWidget* parent)
    : QWidget(parent), runner_(runner), selection_(selection) {
  settings_ = new FinetuneSettingsPanel;
  settings_->setMinimumWidth(340);
  settings_->setSelection(selection_);
  curves_ = new TrainingCurvesView;

  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(makeControls());
  // Curves, chart, matrix and log share one tabbed area, so the results
  // table below gets the full width: its scores stay visible at 1280 pixels.
  QWidget* results = makeResultsPart();
  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("finetuneTabs"));
  tabs_->addTab(curves_, tr("Training curves"));
  tabs_->addTab(chart_, tr("Label efficiency"));
  tabs_->addTab(confusion_, tr("Confusion matrix"));
  tabs_->addTab(log_, tr("Log"));
  auto* vertical = new QSplitter(Qt::Vertical);
  vertical->addWidget(tabs_);
  vertical->addWidget(results);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 2);
  vertical->setChildrenCollapsible(false);
  rightLayout->addWidget(vertical, 1);

  auto* horizontal = new QSplitter(Qt::Horizontal);
  horizontal->addWidget(settings_);
  horizontal->addWidget(right);
  horizontal->setStretchFactor(0, 0);
  horizontal->setStretchFactor(1, 1);
  horizontal->setSizes({340, 1000});
  horizontal->setChildrenCollapsible(false);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  layout->addWidget(horizontal);

  connect(settings_, &FinetuneSettingsPanel::changed, this, [this] {
    suggestRunName();
    updateControls();
  });
  connect(settings_, &FinetuneSettingsPanel::labelChanged, this, &FinetunePage::onLabelChanged);
  connect(runName_, &QLineEdit::textEdited, this, [this] { nameEdited_ = true; });
  connect(runName_, &QLineEdit::textChanged, this, &FinetunePage::updateControls);
  createShortcuts();
  connectRunner();
  setProject(nullptr);
}

QWidget* FinetunePage::makeControls() {
  runName_ = new QLineEdit;
  runName_->setObjectName(QStringLiteral("finetuneRunName"));
  runName_->setToolTip(
      tr("Name of the fine-tuned run; it can be embedded, explored and exported "
         "like any other run"));
  runNameProblem_ = new QLabel;
  runNameProblem_->setStyleSheet(QStringLiteral("color: #b00020;"));
  startButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"));
  startButton_->setToolTip(
      tr("Fine-tune with these settings, then score the test split (Ctrl+Return)"));
  stopButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
  stopButton_->setToolTip(
      tr("Stop and keep the best weights so far; the run is still scored "
         "(Esc or Ctrl+.)"));
  studyButton_ = new QPushButton(tr("Run label-efficiency study"));
  studyButton_->setObjectName(QStringLiteral("studyButton"));
  studyButton_->setToolTip(
      tr("Score TF-IDF + logistic regression, a probe on the base run, and "
         "full fine-tunes from the base run and from scratch, each with 1%, "
         "10% and 100% of the labels; the chart fills as points are stored"));
  progress_ = new QProgressBar;
  progress_->setTextVisible(true);
  progress_->setMaximumHeight(18);
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("finetuneStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Run name")));
  row->addWidget(runName_, 1);
  row->addWidget(runNameProblem_);
  row->addWidget(startButton_);
  row->addWidget(stopButton_);
  row->addSpacing(12);
  row->addWidget(studyButton_);
  auto* progressRow = new QHBoxLayout;
  progressRow->addWidget(progress_, 1);
  progressRow->addWidget(status_, 2);
  auto* box = new QWidget;
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(row);
  layout->addLayout(progressRow);
  connect(startButton_, &QPushButton::clicked, this, &FinetunePage::start);
  connect(stopButton_, &QPushButton::clicked, this, &FinetunePage::stop);
  connect(studyButton_, &QPushButton::clicked, this, [this] { runStudy(); });
  return box;
}

QWidget* FinetunePage::makeResultsPart() {
  results_ = new EvalResultsModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(results_);
  proxy_->setSortRole(EvalResultsModel::SortRole);
  proxy_->setFilterKeyColumn(EvalResultsModel::Label);
  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("evalResults"));
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(-1, Qt::AscendingOrder);  // the store's order until a header is clicked
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->setWordWrap(false);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(false);
  // Run names grow long (ssl-ft-full-articleType-10pct): their column is
  // capped and elided in the middle, where the names differ least.
  table_->horizontalHeader()->setSectionResizeMode(EvalResultsModel::Subject,
                                                   QHeaderView::Interactive);
  table_->setColumnWidth(EvalResultsModel::Subject, 210);
  table_->setTextElideMode(Qt::ElideMiddle);

  thisLabelOnly_ = new QCheckBox(tr("This label only"));
  thisLabelOnly_->setChecked(true);
  thisLabelOnly_->setToolTip(
      tr("Show the results of the label chosen on the left, or of every label"));
  predictRun_ = new QComboBox;
  predictRun_->setObjectName(QStringLiteral("predictRun"));
  predictRun_->setToolTip(tr("A fine-tuned run whose classifier labels the products"));
  predictRun_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  unlabelledOnly_ = new QCheckBox(tr("Unlabelled only"));
  unlabelledOnly_->setToolTip(tr("Label only the products that have no value for the label yet"));
  predictButton_ = new QPushButton(tr("Predict labels"));
  predictButton_->setToolTip(
      tr("Label the products with this run's classifier; the predictions "
         "and their confidence appear as a column on the Data page"));

  auto* heading = new QHBoxLayout;
  auto* title = new QLabel(tr("<b>Results</b>"));
  heading->addWidget(title);
  heading->addWidget(thisLabelOnly_);
  heading->addStretch(1);
  auto* predictRow = new QHBoxLayout;
  predictRow->addWidget(new QLabel(tr("Predict with")));
  predictRow->addWidget(predictRun_, 1);
  predictRow->addWidget(unlabelledOnly_);
  predictRow->addWidget(predictButton_);
  auto* part = new QWidget;
  auto* partLayout = new QVBoxLayout(part);
  partLayout->setContentsMargins(0, 0, 0, 0);
  partLayout->addLayout(heading);
  partLayout->addWidget(table_, 1);
  partLayout->addLayout(predictRow);

  chart_ = new LabelEfficiencyChart;
  confusion_ = new ConfusionMatrixView;
  log_ = new RunLogPanel;
  connect(thisLabelOnly_, &QCheckBox::toggled, this, &FinetunePage::onLabelChanged);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &FinetunePage::onResultSelected);
  connect(predictButton_, &QPushButton::clicked, this, &FinetunePage::predict);
  connect(predictRun_, &QComboBox::currentIndexChanged, this, &FinetunePage::updateControls);
  return part;
}

void FinetunePage::createShortcuts() {
  // Qt disables the shortcuts of hidden widgets, so other pages keep these keys.
  auto add = [this](const QKeySequence& keys, auto slot) {
    auto* shortcut = new QShortcut(keys, this);
    shortcut->setContext(Qt::WindowShortcut);
    connect(shortcut, &QShortcut::activated, this, slot);
  };
  add(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { start(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { start(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_Period), [this] { stop(); });
  add(QKeySequence(Qt::Key_Escape), [this] { stop(); });
}

void FinetunePage::setProject(pl::Project* project) {
  project_ = project;
  curves_->clear();
  liveRunId_ = 0;
  confusion_->clear(
      tr("Fine-tune a run to see its confusion matrix on the test split here (the "
         "project keeps each run's scores, not its matrix)."));
  settings_->setProject(project);
  // The label of the newest stored result: an opened project shows its chart.
  if (project_) {
    try {
      std::string label, when;
      for (const pl::EvalResult& r : pl::listEvalResults(project_->db())) {
        if (!r.label.empty() && r.createdAt >= when) {
          label = r.label;
          when = r.createdAt;
        }
      }
      if (!label.empty()) settings_->setLabel(q(label));
      // The demo's next step after pretraining: a linear probe on 10 % of
      // the labels, scored on the standard test images.
      if (label.empty() && pl::hasDemoCatalog(project_->db())) {
        settings_->setLabel(QStringLiteral("category"));
        settings_->setMode(pl::FinetuneMode::Probe);
        settings_->subset()->setFraction(0.1);
      }
    } catch (const std::exception&) {
      // Unreadable results are reported by reloadResults below.
    }
  }
  reloadResults();
  // The newest fine-tune's curves: an opened project shows where it stands.
  if (project_) {
    const auto runs = pl::listRuns(project_->db());
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
      if (it->kind != "finetune") continue;
      showRunCurves(q(it->name));
      break;
    }
  }
  nameEdited_ = false;
  suggestRunName();
  showStatus(project ? tr("Choose a base run, a label and the labelled products, then Start.")
                     : QString());
  progress_->setValue(0);
  updateControls();
}

void FinetunePage::reloadResults() {
  std::vector<pl::EvalResult> all;
  if (project_) {
    try {
      all = pl::listEvalResults(project_->db());
    } catch (const std::exception& e) {
      log_->addMessage(2,
                       tr("Cannot read the stored results: %1").arg(QString::fromUtf8(e.what())));
    }
  }
  results_->setResults(std::move(all));
  reloadPredictRuns();
  onLabelChanged();
}

void FinetunePage::reloadPredictRuns() {
  const QString keep = predictRun_->currentData().toString();
  QSignalBlocker block(predictRun_);
  predictRun_->clear();
  if (project_) {
    for (const pl::RunRecord& run : pl::listRuns(project_->db())) {
      if (run.kind != "finetune" || !pl::latestCheckpoint(project_->db(), run.id)) continue;
      predictRun_->addItem(q(run.name), q(run.name));
    }
  }
  if (predictRun_->count() == 0) predictRun_->addItem(tr("(no fine-tuned run yet)"), QString());
  const int index = predictRun_->findData(keep);
  predictRun_->setCurrentIndex(index >= 0 ? index : predictRun_->count() - 1);
}

void FinetunePage::onLabelChanged() {
  const QString label = settings_->labelName();
  proxy_->setFilterRegularExpression(
      thisLabelOnly_->isChecked()
          ? QRegularExpression(QStringLiteral("^%1$").arg(QRegularExpression::escape(label)))
          : QRegularExpression());
  chart_->setResults(results_->results(), label, label);
  // One label shown: its column would repeat it on every row.
  table_->setColumnHidden(EvalResultsModel::Label, thisLabelOnly_->isChecked());
  thisLabelOnly_->setText(label.isEmpty() ? tr("This label only") : tr("Only %1").arg(label));
}

void FinetunePage::onResultSelected() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty() || isTraining()) return;
  const pl::EvalResult* r = results_->resultAt(proxy_->mapToSource(rows.first()).row());
  if (!r || !project_) return;
  // A fine-tuned run's curves, and the run to predict with.
  if (r->method.rfind("finetune", 0) == 0 || r->method == "scratch-full") {
    showRunCurves(q(r->subject));
    const int index = predictRun_->findData(q(r->subject));
    if (index >= 0) predictRun_->setCurrentIndex(index);
  }
}

void FinetunePage::showRunCurves(const QString& name) {
  if (!project_) return;
  auto run = pl::findRun(project_->db(), name.toStdString());
  if (!run) return;
  curves_->clear();
  curves_->addRun(run->id, name);
  curves_->loadStoredMetrics(run->id, pl::loadAllMetrics(project_->db(), run->id));
}

QString FinetunePage::runNameProblem() const {
  const QString name = runName_->text().trimmed();
  if (name.isEmpty()) return tr("name the run");
  if (name.contains(QRegularExpression(QStringLiteral("[/\\\\:*?\"<>|]")))) {
    return tr("no / \\ : * ? \" < > | in names");
  }
  if (project_ && pl::findRun(project_->db(), name.toStdString())) return tr("name already used");
  return {};
}

void FinetunePage::suggestRunName() {
  if (nameEdited_ || isTraining()) return;
  QString label = settings_->labelName();
  label.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]+")), QStringLiteral("-"));
  const QString prefix = settings_->baseRun().isEmpty()                 ? QStringLiteral("scratch")
                         : settings_->mode() == pl::FinetuneMode::Probe ? QStringLiteral("probe")
                                                                        : QStringLiteral("ft");
  const QString stem = QStringList{prefix, label, settings_->subset()->shortName()}.join('-');
  QString name = stem;
  for (int n = 2; project_ && pl::findRun(project_->db(), name.toStdString()); ++n) {
    name = QStringLiteral("%1-%2").arg(stem).arg(n);
  }
  if (runName_->text() != name) runName_->setText(name);
}

void FinetunePage::showStatus(const QString& text, bool error) {
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
  status_->setText(text);
}

void FinetunePage::updateControls() {
  const bool busy = runner_->isRunning();
  const QString nameProblem = project_ ? runNameProblem() : QString();
  runNameProblem_->setText(nameProblem);
  runNameProblem_->setVisible(!nameProblem.isEmpty() && !isTraining());
  startButton_->setEnabled(project_ && !busy && nameProblem.isEmpty() &&
                           settings_->problems().isEmpty());
  stopButton_->setEnabled(isBusy() && !stopping_);
  predictButton_->setEnabled(project_ && !busy && !predictRun_->currentData().toString().isEmpty());
  studyButton_->setEnabled(project_ && !busy && !settings_->baseRun().isEmpty() &&
                           !settings_->labelName().isEmpty() &&
                           settings_->labelProblem().isEmpty());
  if (busy && !isBusy()) {
    startButton_->setToolTip(tr("Another job (%1) is running").arg(runner_->title()));
  } else {
    startButton_->setToolTip(
        tr("Fine-tune with these settings, then score the test split (Ctrl+Return)"));
  }
}

}  // namespace pl::ui
