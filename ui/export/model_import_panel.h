#pragma once
// "Apply a model from another project": a folder written by Export → Model
// (or `productlens-cli export --format model`) becomes a run of the open
// project (core/export/model_import.h), ready to embed on the Explore page
// and to fine-tune. The import runs on the shared JobRunner.

#include <QGroupBox>

#include "ui/job_runner.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace pl {
class Project;
}

namespace pl::ui {

class ModelImportPanel : public QGroupBox {
  Q_OBJECT

 public:
  explicit ModelImportPanel(JobRunner* runner, QWidget* parent = nullptr);
  /// The open project (GUI thread only), or null.
  void setProject(pl::Project* project);
  /// Imports the folder the fields name; false (and a message) when it cannot start.
  bool startImport();

  QLineEdit* folderEdit() const { return folder_; }
  QLineEdit* nameEdit() const { return name_; }
  QPushButton* importButton() const { return import_; }
  QLabel* resultLabel() const { return result_; }

 signals:
  /// A model became run `runName`: the pages listing runs should reload.
  void modelImported(const QString& runName);

 private:
  void chooseFolder();
  void updateControls();

  JobRunner* runner_;
  pl::Project* project_ = nullptr;
  bool importing_ = false;
  QLineEdit* folder_;
  QPushButton* choose_;
  QLineEdit* name_;
  QPushButton* import_;
  QLabel* result_;
};

}  // namespace pl::ui
