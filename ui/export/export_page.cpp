#include "ui/export/export_page.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "export/embedding_export.h"
#include "export/model_export.h"
#include "store/project.h"
#include "ui/export/model_import_panel.h"
#include "ui/project_job.h"

namespace pl::ui {

namespace {

struct FormatChoice {
  const char* key;
  const char* label;
  bool folder;
};

const FormatChoice kFormats[] = {
    {"npy", QT_TRANSLATE_NOOP("ExportPage", "NumPy: embeddings.npy + ids.txt (folder)"), true},
    {"csv", QT_TRANSLATE_NOOP("ExportPage", "CSV: id, metadata, vector components (file)"), false},
    {"tsv", QT_TRANSLATE_NOOP("ExportPage", "TSV: the same, tab-separated (file)"), false},
    {"projector", QT_TRANSLATE_NOOP("ExportPage", "TensorBoard Embedding Projector bundle with sprite (folder)"), true},
    {"sqlite", QT_TRANSLATE_NOOP("ExportPage", "SQLite table `embeddings` (file)"), false},
    {"model", QT_TRANSLATE_NOOP("ExportPage", "Model: safetensors + config.json + tokenizer (folder)"), true},
};

QString plural(const std::vector<std::string>& files) {
  QStringList lines;
  for (const auto& f : files) lines << QString::fromStdString(f).toHtmlEscaped();
  return lines.join(QStringLiteral("<br>"));
}

}  // namespace

ExportPage::ExportPage(JobRunner* runner, QWidget* parent) : QWidget(parent), runner_(runner) {
  run_ = new QComboBox;
  run_->setObjectName(QStringLiteral("exportRun"));
  format_ = new QComboBox;
  for (const auto& f : kFormats) format_->addItem(tr(f.label), QString::fromLatin1(f.key));
  metadata_ = new QLineEdit(QStringLiteral("title,category"));
  metadata_->setToolTip(tr("Fields written beside each vector: title, description, brand, category, "
                           "price or attribute columns, comma-separated"));
  output_ = new QLineEdit;
  output_->setPlaceholderText(tr("where to write"));
  choose_ = new QPushButton(tr("Choose…"));
  export_ = new QPushButton(tr("Export"));
  export_->setDefault(true);
  result_ = new QLabel;
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* outputRow = new QHBoxLayout;
  outputRow->addWidget(output_, 1);
  outputRow->addWidget(choose_);
  auto* form = new QFormLayout;
  form->addRow(tr("Run"), run_);
  form->addRow(tr("Format"), format_);
  form->addRow(tr("Metadata"), metadata_);
  form->addRow(tr("Output"), outputRow);
  auto* title = new QLabel(tr("<h2>Export</h2><p>Take a run's embeddings or its model to other tools. "
                              "Files are replaced only once completely written.</p>"));
  title->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(title);
  layout->addLayout(form);
  layout->addWidget(export_, 0, Qt::AlignLeft);
  layout->addWidget(result_);
  import_ = new ModelImportPanel(runner_);
  layout->addSpacing(12);
  layout->addWidget(import_);
  layout->addStretch(1);
  setMaximumWidth(900);

  // The imported model is a run to export too.
  connect(import_, &ModelImportPanel::modelImported, this, &ExportPage::reloadRuns);
  connect(choose_, &QPushButton::clicked, this, &ExportPage::chooseOutput);
  connect(export_, &QPushButton::clicked, this, &ExportPage::startExport);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportPage::updateControls);
  connect(run_, &QComboBox::currentIndexChanged, this, &ExportPage::updateControls);
  connect(output_, &QLineEdit::textChanged, this, &ExportPage::updateControls);
  connect(runner_, &JobRunner::started, this, &ExportPage::updateControls);
  connect(runner_, &JobRunner::finished, this, &ExportPage::updateControls);
  updateControls();
}

bool ExportPage::writesFolder() const {
  const QString key = format_->currentData().toString();
  for (const auto& f : kFormats) {
    if (key == QLatin1String(f.key)) return f.folder;
  }
  return false;
}

void ExportPage::setProject(pl::Project* project) {
  project_ = project;
  import_->setProject(project);
  result_->clear();
  reloadRuns();
}

void ExportPage::reloadRuns() {
  run_->clear();
  if (project_) {
    try {
      // Embedded runs first: every format needs stored vectors except the model.
      auto st = project_->db().prepare(
          "SELECT name, EXISTS(SELECT 1 FROM embeddings e WHERE e.run_id = r.id) FROM runs r "
          "ORDER BY 2 DESC, id DESC");
      while (st.step()) {
        const QString name = QString::fromStdString(st.text(0));
        run_->addItem(st.int64(1) ? name : tr("%1 (not embedded: model only)").arg(name), name);
      }
    } catch (const pl::StoreError& e) {
      result_->setText(tr("Cannot list the runs: %1").arg(QString::fromUtf8(e.what())));
    }
  }
  updateControls();
}

void ExportPage::chooseOutput() {
  const QString start = output_->text().isEmpty() && project_
                            ? QFileInfo(QString::fromStdString(project_->path())).absolutePath()
                            : output_->text();
  QString chosen = writesFolder()
                       ? QFileDialog::getExistingDirectory(this, tr("Export into folder"), start)
                       : QFileDialog::getSaveFileName(this, tr("Export to file"), start);
  if (!chosen.isEmpty()) output_->setText(chosen);
}

void ExportPage::updateControls() {
  const bool busy = exporting_ || runner_->isRunning();
  export_->setEnabled(project_ && run_->count() > 0 && !output_->text().trimmed().isEmpty() && !busy);
  metadata_->setEnabled(format_->currentData().toString() != QLatin1String("npy") &&
                        format_->currentData().toString() != QLatin1String("model"));
  export_->setToolTip(busy ? tr("Another job is running; it shows in the status bar") : QString());
}

bool ExportPage::startExport() {
  if (!project_ || run_->count() == 0 || output_->text().trimmed().isEmpty() || runner_->isRunning()) return false;
  const QString format = format_->currentData().toString();
  const std::string runName = run_->currentData().toString().toStdString();
  const std::string out = output_->text().trimmed().toStdString();
  const QString projectPath = QString::fromStdString(project_->path());
  result_->setText(tr("Exporting…"));
  exporting_ = true;
  bool started = false;
  if (format == QLatin1String("model")) {
    started = startProjectJob<pl::ModelExportReport>(
        *runner_, tr("Export model"), projectPath,
        [runName, out](pl::Project& p, pl::JobContext&) { return pl::exportModel(p, runName, out); },
        [this](const pl::Result<pl::ModelExportReport>& r) {
          finish(r.ok(), r.ok() ? tr("Wrote %1 tensors (%L2 weights):<br>%3")
                                      .arg(r->tensors)
                                      .arg(r->parameters)
                                      .arg(plural(r->files))
                                : QString::fromStdString(r.error().message));
        },
        "export", pl::OpenMode::ReadOnly);
  } else {
    pl::EmbeddingExportOptions o;
    o.runName = runName;
    o.format = *pl::parseEmbeddingFormat(format.toStdString());
    o.out = out;
    o.metadata.clear();
    for (const QString& f : metadata_->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
      o.metadata.push_back(f.trimmed().toStdString());
    }
    started = startProjectJob<pl::EmbeddingExportReport>(
        *runner_, tr("Export embeddings"), projectPath,
        [o](pl::Project& p, pl::JobContext& context) { return pl::exportEmbeddings(p, o, context); },
        [this](const pl::Result<pl::EmbeddingExportReport>& r) {
          QString text;
          if (r.ok()) {
            text = tr("Wrote %L1 products × %2 dimensions:<br>%3").arg(r->rows).arg(r->dim).arg(plural(r->files));
            if (r->spriteTile > 0 && r->missingPictures > 0) {
              text += tr("<br>%L1 products without a picture have a blank sprite tile.").arg(r->missingPictures);
            }
          }
          finish(r.ok(), r.ok() ? text : QString::fromStdString(r.error().message));
        },
        "export", pl::OpenMode::ReadOnly);
  }
  if (!started) {
    exporting_ = false;
    result_->setText(tr("Another job is running; try again when it has finished."));
  }
  updateControls();
  return started;
}

void ExportPage::finish(bool ok, const QString& message) {
  exporting_ = false;
  result_->setText(ok ? message : tr("<span style='color:#b00020'>Export failed: %1</span>").arg(message.toHtmlEscaped()));
  updateControls();
  emit exportFinished(ok, message);
}

}  // namespace pl::ui
