#include "ui/export/model_import_panel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "export/model_import.h"
#include "store/project.h"
#include "store/run_store.h"
#include "ui/project_job.h"

namespace pl::ui {

ModelImportPanel::ModelImportPanel(JobRunner* runner, QWidget* parent)
    : QGroupBox(tr("Apply a model from another project"), parent), runner_(runner) {
  folder_ = new QLineEdit;
  folder_->setPlaceholderText(tr("a folder written by Export → Model (model.safetensors, config.json, …)"));
  choose_ = new QPushButton(tr("Choose…"));
  name_ = new QLineEdit;
  name_->setPlaceholderText(tr("name of the new run"));
  import_ = new QPushButton(tr("Import model"));
  result_ = new QLabel;
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* hint = new QLabel(tr("Pretrain once, fine-tune many: the model becomes a run of this project. "
                             "Embed the catalog with it on the Explore page, or fine-tune it."));
  hint->setWordWrap(true);

  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(choose_);
  auto* form = new QFormLayout;
  form->addRow(tr("Model folder"), folderRow);
  form->addRow(tr("Run name"), name_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(hint);
  layout->addLayout(form);
  layout->addWidget(import_, 0, Qt::AlignLeft);
  layout->addWidget(result_);

  connect(choose_, &QPushButton::clicked, this, &ModelImportPanel::chooseFolder);
  connect(import_, &QPushButton::clicked, this, &ModelImportPanel::startImport);
  connect(folder_, &QLineEdit::textChanged, this, &ModelImportPanel::updateControls);
  connect(name_, &QLineEdit::textChanged, this, &ModelImportPanel::updateControls);
  connect(runner_, &JobRunner::started, this, &ModelImportPanel::updateControls);
  connect(runner_, &JobRunner::finished, this, &ModelImportPanel::updateControls);
  updateControls();
}

void ModelImportPanel::setProject(pl::Project* project) {
  project_ = project;
  result_->clear();
  updateControls();
}

void ModelImportPanel::chooseFolder() {
  const QString chosen = QFileDialog::getExistingDirectory(this, tr("Model folder"), folder_->text());
  if (chosen.isEmpty()) return;
  folder_->setText(chosen);
  // The folder's name is a fair run name ("myntra-model" → run "myntra-model").
  if (name_->text().trimmed().isEmpty()) name_->setText(QFileInfo(chosen).fileName());
}

void ModelImportPanel::updateControls() {
  const bool busy = importing_ || runner_->isRunning();
  import_->setEnabled(project_ && !folder_->text().trimmed().isEmpty() && !name_->text().trimmed().isEmpty() &&
                      !busy);
  import_->setToolTip(busy ? tr("Another job is running; it shows in the status bar") : QString());
}

bool ModelImportPanel::startImport() {
  if (!import_->isEnabled()) return false;
  const std::string dir = QDir::cleanPath(folder_->text().trimmed()).toStdString();
  const QString name = name_->text().trimmed();
  const std::string runName = name.toStdString();
  if (findRun(project_->db(), runName)) {
    result_->setText(tr("<span style='color:#b00020'>There is already a run named “%1”: choose another name.</span>")
                         .arg(name.toHtmlEscaped()));
    return false;
  }
  importing_ = true;
  result_->setText(tr("Importing…"));
  const bool started = startProjectJob<int64_t>(
      *runner_, tr("Import model"), QString::fromStdString(project_->path()),
      [dir, runName](pl::Project& p, pl::JobContext&) { return pl::importModel(p, dir, runName); },
      [this, name](const pl::Result<int64_t>& r) {
        importing_ = false;
        if (r) {
          result_->setText(tr("Imported as run “%1”. Embed the catalog with it on the Explore page, or fine-tune "
                              "it on the Fine-tune page.")
                               .arg(name.toHtmlEscaped()));
          emit modelImported(name);
        } else {
          result_->setText(tr("<span style='color:#b00020'>Import failed: %1</span>")
                               .arg(QString::fromStdString(r.error().message).toHtmlEscaped()));
        }
        updateControls();
      },
      "model import");
  if (!started) {
    importing_ = false;
    result_->setText(tr("Another job is running; try again when it has finished."));
  }
  updateControls();
  return started;
}

}  // namespace pl::ui
