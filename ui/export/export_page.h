#pragma once
// The Export page: a run's embeddings as NumPy, CSV, TSV, a TensorBoard
// Embedding Projector bundle or a SQLite table, or its model as safetensors
// (core/export). The export runs on the shared JobRunner with progress and
// Cancel in the status bar; the page lists the files it wrote. Below, a
// model exported from another project can be applied to this one.

#include <QWidget>

#include "ui/job_runner.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace pl {
class Project;
}

namespace pl::ui {

class ModelImportPanel;

class ExportPage : public QWidget {
  Q_OBJECT

 public:
  explicit ExportPage(JobRunner* runner, QWidget* parent = nullptr);
  /// The open project (GUI thread only), or null.
  void setProject(pl::Project* project);
  /// Starts the export the fields describe; false (and a message) when it cannot.
  bool startExport();

  QComboBox* runCombo() const { return run_; }
  QComboBox* formatCombo() const { return format_; }
  QLineEdit* metadataEdit() const { return metadata_; }
  QLineEdit* outputEdit() const { return output_; }
  QPushButton* exportButton() const { return export_; }
  QLabel* resultLabel() const { return result_; }
  ModelImportPanel* importPanel() const { return import_; }

 signals:
  /// An export ended: `ok` false on failure or cancel; `message` in plain words.
  void exportFinished(bool ok, const QString& message);

 private:
  /// Lists the project's runs, embedded ones first.
  void reloadRuns();
  void chooseOutput();
  void updateControls();
  void finish(bool ok, const QString& message);
  /// True for formats written into a folder (npy, projector, model).
  bool writesFolder() const;

  JobRunner* runner_;
  pl::Project* project_ = nullptr;
  bool exporting_ = false;
  QComboBox* run_;
  QComboBox* format_;
  QLineEdit* metadata_;
  QLineEdit* output_;
  QPushButton* choose_;
  QPushButton* export_;
  QLabel* result_;
  ModelImportPanel* import_;
};

}  // namespace pl::ui
