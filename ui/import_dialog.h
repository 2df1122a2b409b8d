#pragma once
// File › Import Catalog: pick a CSV/TSV/JSONL file, see its first rows and
// the guessed column mapping, adjust it, and hand back ImportOptions. The
// dialog does not import; the main window runs the job in the background.

#include <QDialog>

#include "catalog/catalog_import.h"
#include "ui/catalog_preview.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace pl::ui {

class FieldMappingEditor;

/// Chooses a catalog file and how to read it.
class ImportDialog : public QDialog {
  Q_OBJECT

 public:
  static constexpr int kPreviewRows = 20;

  explicit ImportDialog(QWidget* parent = nullptr);

  /// Loads `path` into the preview and guesses its mapping.
  void setCatalogPath(const QString& path);
  /// Reads the baskets file's columns into the order/item choices.
  void setBasketsPath(const QString& path);
  /// What the import should do, as chosen.
  pl::ImportOptions options() const;

  QTableWidget* previewTable() const { return preview_; }
  FieldMappingEditor* mappingEditor() const { return mapping_; }
  QLabel* problemLabel() const { return problem_; }
  bool canImport() const;

 private:
  QWidget* makeFileRow();
  QWidget* makeOptionsBox();
  QGroupBox* makeBasketsBox();
  void browseCatalog();
  void browseImagesRoot();
  void browseBaskets();
  void fillPreview();
  void updateHeaders();
  void validate();

  CatalogPreview catalog_;
  QString loadedPath_;
  QStringList basketHeader_;
  QLineEdit* path_ = nullptr;
  QLabel* fileInfo_ = nullptr;
  QTableWidget* preview_ = nullptr;
  FieldMappingEditor* mapping_ = nullptr;
  QLineEdit* catalogName_ = nullptr;
  QLineEdit* imagesRoot_ = nullptr;
  QCheckBox* strict_ = nullptr;
  QCheckBox* allowOutside_ = nullptr;
  QGroupBox* baskets_ = nullptr;
  QLineEdit* basketsPath_ = nullptr;
  QComboBox* orderColumn_ = nullptr;
  QComboBox* itemColumn_ = nullptr;
  QLabel* problem_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace pl::ui
