#include "ui/import_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/field_mapping_editor.h"

namespace pl::ui {

namespace {

const char* kCatalogFilter = "Catalogs (*.csv *.tsv *.tab *.txt *.jsonl *.ndjson *.json);;"
                             "All files (*)";

QPushButton* browseButton() { return new QPushButton(QObject::tr("Browse…")); }

}  // namespace

ImportDialog::ImportDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Import Catalog"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(makeFileRow());

  preview_ = new QTableWidget;
  preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  preview_->setSelectionMode(QAbstractItemView::NoSelection);
  preview_->setWordWrap(false);
  preview_->verticalHeader()->setDefaultSectionSize(preview_->fontMetrics().height() + 6);
  preview_->horizontalHeader()->setDefaultSectionSize(130);
  preview_->setMinimumHeight(220);
  auto* previewBox = new QGroupBox(tr("Preview (first %1 rows)").arg(kPreviewRows));
  auto* previewLayout = new QVBoxLayout(previewBox);
  previewLayout->addWidget(preview_);
  layout->addWidget(previewBox, 1);

  auto* lower = new QHBoxLayout;
  auto* mappingBox = new QGroupBox(tr("Columns → product fields (guessed; other columns are "
                                      "kept as attributes)"));
  auto* mappingLayout = new QVBoxLayout(mappingBox);
  mapping_ = new FieldMappingEditor;
  mappingLayout->addWidget(mapping_);
  lower->addWidget(mappingBox, 1);
  auto* right = new QVBoxLayout;
  right->addWidget(makeOptionsBox());
  right->addWidget(makeBasketsBox());
  right->addStretch(1);
  lower->addLayout(right, 1);
  layout->addLayout(lower);

  problem_ = new QLabel;
  problem_->setWordWrap(true);
  problem_->setStyleSheet(QStringLiteral("color: #b00020"));
  layout->addWidget(problem_);

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Import"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons_);

  connect(mapping_, &FieldMappingEditor::mappingChanged, this, [this] {
    updateHeaders();
    validate();
  });
  resize(980, 720);
  validate();
}

QWidget* ImportDialog::makeFileRow() {
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Catalog file:")));
  path_ = new QLineEdit;
  path_->setPlaceholderText(tr("A CSV, TSV or JSONL file with one product per row"));
  layout->addWidget(path_, 1);
  auto* browse = browseButton();
  layout->addWidget(browse);
  fileInfo_ = new QLabel;
  layout->addWidget(fileInfo_);
  connect(browse, &QPushButton::clicked, this, &ImportDialog::browseCatalog);
  connect(path_, &QLineEdit::editingFinished, this, [this] {
    if (path_->text() != loadedPath_) setCatalogPath(path_->text());
  });
  return row;
}

QWidget* ImportDialog::makeOptionsBox() {
  auto* box = new QGroupBox(tr("Options"));
  auto* form = new QFormLayout(box);
  catalogName_ = new QLineEdit;
  catalogName_->setPlaceholderText(tr("the file name"));
  form->addRow(tr("Catalog name:"), catalogName_);
  auto* rootRow = new QHBoxLayout;
  imagesRoot_ = new QLineEdit;
  imagesRoot_->setPlaceholderText(tr("the catalog's folder"));
  imagesRoot_->setToolTip(tr("Relative image paths in the catalog are resolved against this "
                             "folder"));
  auto* browse = browseButton();
  rootRow->addWidget(imagesRoot_, 1);
  rootRow->addWidget(browse);
  form->addRow(tr("Images root:"), rootRow);
  strict_ = new QCheckBox(tr("Strict: stop at the first bad row and import nothing"));
  form->addRow(strict_);
  // Off by default: a catalog from someone else must not read any file on
  // this machine through "../" or absolute picture paths.
  allowOutside_ = new QCheckBox(tr("Read pictures outside the images root (.., absolute paths, links)"));
  allowOutside_->setObjectName(QStringLiteral("allowOutsideImagesRoot"));
  allowOutside_->setToolTip(tr("Off: such paths count as missing pictures, with an issue naming the line"));
  form->addRow(allowOutside_);
  connect(browse, &QPushButton::clicked, this, &ImportDialog::browseImagesRoot);
  return box;
}

QGroupBox* ImportDialog::makeBasketsBox() {
  baskets_ = new QGroupBox(tr("Baskets (co-purchases, optional)"));
  baskets_->setCheckable(true);
  baskets_->setChecked(false);
  auto* form = new QFormLayout(baskets_);
  auto* fileRow = new QHBoxLayout;
  basketsPath_ = new QLineEdit;
  basketsPath_->setPlaceholderText(tr("one line per order item"));
  auto* browse = browseButton();
  fileRow->addWidget(basketsPath_, 1);
  fileRow->addWidget(browse);
  form->addRow(tr("File:"), fileRow);
  orderColumn_ = new QComboBox;
  itemColumn_ = new QComboBox;
  form->addRow(tr("Order column:"), orderColumn_);
  form->addRow(tr("Item column:"), itemColumn_);
  setBasketsPath({});
  connect(browse, &QPushButton::clicked, this, &ImportDialog::browseBaskets);
  connect(basketsPath_, &QLineEdit::editingFinished, this,
          [this] { setBasketsPath(basketsPath_->text()); });
  connect(baskets_, &QGroupBox::toggled, this, &ImportDialog::validate);
  return baskets_;
}

void ImportDialog::browseCatalog() {
  QString file = QFileDialog::getOpenFileName(this, tr("Choose a catalog"), path_->text(),
                                              tr(kCatalogFilter));
  if (!file.isEmpty()) setCatalogPath(file);
}

void ImportDialog::browseImagesRoot() {
  QString start = imagesRoot_->text().isEmpty() ? QFileInfo(path_->text()).absolutePath()
                                                : imagesRoot_->text();
  QString dir = QFileDialog::getExistingDirectory(this, tr("Images root"), start);
  if (!dir.isEmpty()) imagesRoot_->setText(dir);
}

void ImportDialog::browseBaskets() {
  QString file = QFileDialog::getOpenFileName(this, tr("Choose a baskets file"),
                                              QFileInfo(path_->text()).absolutePath(),
                                              tr(kCatalogFilter));
  if (!file.isEmpty()) setBasketsPath(file);
}

void ImportDialog::setCatalogPath(const QString& path) {
  path_->setText(path);
  loadedPath_ = path;
  catalog_ = path.isEmpty() ? CatalogPreview{} : readCatalogPreview(path, kPreviewRows);
  std::vector<std::string> header;
  for (const QString& name : catalog_.header) header.push_back(name.toStdString());
  fileInfo_->setText(catalog_.error.isEmpty() && !path.isEmpty()
                         ? tr("%1 · %n column(s)", nullptr, static_cast<int>(header.size()))
                               .arg(catalog_.format.toUpper())
                         : QString());
  fillPreview();
  // The preview's rows let a catalog whose name column has an unusual name
  // ("product") still get its title guessed from content.
  std::vector<std::vector<std::string>> sample;
  for (const QStringList& row : catalog_.rows) {
    std::vector<std::string> values;
    for (const QString& v : row) values.push_back(v.toStdString());
    sample.push_back(std::move(values));
  }
  mapping_->setColumns(catalog_.header, pl::guessMapping(header, sample));
}

void ImportDialog::setBasketsPath(const QString& path) {
  basketsPath_->setText(path);
  basketHeader_ = path.isEmpty() ? QStringList() : readCatalogPreview(path, 0).header;
  for (QComboBox* box : {orderColumn_, itemColumn_}) {
    box->clear();
    box->addItem(tr("(guess from the column names)"));
    box->addItems(basketHeader_);
  }
  if (!path.isEmpty()) baskets_->setChecked(true);
  validate();
}

void ImportDialog::fillPreview() {
  preview_->clear();
  preview_->setColumnCount(static_cast<int>(catalog_.header.size()));
  preview_->setRowCount(static_cast<int>(catalog_.rows.size()));
  for (int r = 0; r < catalog_.rows.size(); ++r) {
    const QStringList& row = catalog_.rows[r];
    for (int c = 0; c < row.size() && c < catalog_.header.size(); ++c) {
      auto* item = new QTableWidgetItem(row[c]);
      item->setToolTip(row[c]);
      preview_->setItem(r, c, item);
    }
  }
  updateHeaders();
}

void ImportDialog::updateHeaders() {
  pl::FieldMapping chosen = mapping_->mapping();
  for (int c = 0; c < catalog_.header.size(); ++c) {
    const QString& name = catalog_.header[c];
    QStringList fields;
    for (pl::Field field : pl::allFields()) {
      for (const std::string& column : chosen.columns(field)) {
        if (QString::fromStdString(column) == name) fields << QString::fromLatin1(pl::fieldName(field));
      }
    }
    // Second line says where the column goes, so the mapping can be read
    // off the preview itself.
    QString target = fields.isEmpty() ? tr("(attribute)") : QStringLiteral("→ ") + fields.join(", ");
    preview_->setHorizontalHeaderItem(c, new QTableWidgetItem(name + QLatin1Char('\n') + target));
  }
}

bool ImportDialog::canImport() const {
  return !catalog_.header.isEmpty() && catalog_.error.isEmpty() && mapping_->problem().isEmpty() &&
         (!baskets_->isChecked() || !basketsPath_->text().isEmpty());
}

void ImportDialog::validate() {
  if (!buttons_) return;  // still building the dialog
  QString message;
  if (!catalog_.error.isEmpty()) message = catalog_.error;
  else if (!mapping_->problem().isEmpty()) message = mapping_->problem();
  else if (baskets_->isChecked() && basketsPath_->text().isEmpty())
    message = tr("Choose a baskets file, or untick Baskets.");
  else if (catalog_.badRows > 0)
    message = tr("%n row(s) of the preview cannot be read (first: %1); the import will skip "
                 "and list such rows.", nullptr, catalog_.badRows).arg(catalog_.firstBadReason);
  problem_->setText(message);
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(canImport());
}

pl::ImportOptions ImportDialog::options() const {
  pl::ImportOptions options;
  options.catalogPath = path_->text().toStdString();
  options.mapping = mapping_->mapping();
  options.imagesRoot = imagesRoot_->text().trimmed().toStdString();
  options.catalogName = catalogName_->text().trimmed().toStdString();
  options.strict = strict_->isChecked();
  options.allowOutsideImagesRoot = allowOutside_->isChecked();
  if (baskets_->isChecked() && !basketsPath_->text().isEmpty()) {
    options.basketsPath = basketsPath_->text().toStdString();
    if (orderColumn_->currentIndex() > 0) options.basketOrderColumn = orderColumn_->currentText().toStdString();
    if (itemColumn_->currentIndex() > 0) options.basketItemColumn = itemColumn_->currentText().toStdString();
  }
  return options;
}

}  // namespace pl::ui
