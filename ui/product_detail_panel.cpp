#include "ui/product_detail_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <exception>

#include "image/image_file.h"
#include "store/product_queries.h"
#include "ui/image_convert.h"

namespace pl::ui {

namespace {

QString imageStatusText(int status) {
  switch (static_cast<pl::ImageStatus>(status)) {
    case pl::ImageStatus::None: return QObject::tr("No image in the catalog");
    case pl::ImageStatus::Found: return QObject::tr("Image file not readable");
    case pl::ImageStatus::Missing: return QObject::tr("Image file missing");
    case pl::ImageStatus::Undecodable: return QObject::tr("Image file cannot be decoded");
    case pl::ImageStatus::Remote: return QObject::tr("Image is a URL (not downloaded)");
  }
  return QObject::tr("No image");
}

QFormLayout* makeForm() {
  auto* form = new QFormLayout;
  form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->setRowWrapPolicy(QFormLayout::DontWrapRows);
  return form;
}

}  // namespace

ProductDetailPanel::ProductDetailPanel(QWidget* parent) : QScrollArea(parent) {
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  auto* content = new QWidget;
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(12, 12, 12, 12);

  image_ = new QLabel;
  image_->setAlignment(Qt::AlignCenter);
  image_->setFixedHeight(kImageBox + 16);
  image_->setMinimumWidth(kImageBox + 16);
  // A neutral well makes the picture's edges readable on any theme.
  image_->setAutoFillBackground(true);
  image_->setBackgroundRole(QPalette::Base);
  image_->setFrameShape(QFrame::StyledPanel);
  image_->setWordWrap(true);
  layout->addWidget(image_);

  title_ = new QLabel;
  title_->setWordWrap(true);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont titleFont = title_->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
  titleFont.setBold(true);
  title_->setFont(titleFont);
  layout->addWidget(title_);

  message_ = new QLabel;
  message_->setWordWrap(true);
  message_->setAlignment(Qt::AlignCenter);
  message_->setEnabled(false);
  layout->addWidget(message_);

  fieldsBox_ = new QWidget;
  auto* fieldsLayout = new QVBoxLayout(fieldsBox_);
  fieldsLayout->setContentsMargins(0, 0, 0, 0);
  fields_ = makeForm();
  fieldsLayout->addLayout(fields_);
  attributesHeading_ = new QLabel(tr("<b>Attributes</b>"));
  fieldsLayout->addSpacing(6);
  fieldsLayout->addWidget(attributesHeading_);
  attributes_ = makeForm();
  fieldsLayout->addLayout(attributes_);
  layout->addWidget(fieldsBox_);
  layout->addStretch(1);
  setWidget(content);
  showMessage(tr("Select a product to see its details."));
}

void ProductDetailPanel::clearFields() {
  while (fields_->rowCount() > 0) fields_->removeRow(0);
  while (attributes_->rowCount() > 0) attributes_->removeRow(0);
}

void ProductDetailPanel::addField(QFormLayout* form, const QString& name, const QString& value) {
  auto* label = new QLabel(value.isEmpty() ? QStringLiteral("—") : value);
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setEnabled(!value.isEmpty());
  auto* nameLabel = new QLabel(name);
  nameLabel->setEnabled(false);  // dimmed, so the values carry the eye
  form->addRow(nameLabel, label);
}

void ProductDetailPanel::showMessage(const QString& message) {
  rowId_ = 0;
  clearFields();
  image_->hide();
  title_->hide();
  fieldsBox_->hide();
  message_->setText(message);
  message_->show();
}

void ProductDetailPanel::showProduct(pl::Database& db, int64_t rowId) {
  std::optional<pl::ProductDetail> detail;
  QImage picture;
  try {
    detail = pl::loadProductDetail(db, rowId);
    if (detail) picture = matToQImage(pl::loadProductImage(db, *detail));
  } catch (const std::exception& e) {
    showMessage(tr("Could not read this product: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  if (!detail) {
    showMessage(tr("This product is no longer in the project."));
    return;
  }
  clearFields();
  rowId_ = rowId;
  message_->hide();
  const pl::ProductRow& row = detail->row;

  if (!picture.isNull()) {
    image_->setPixmap(productPixmap(picture, kImageBox));
    image_->setToolTip(tr("%1 × %2 px").arg(picture.width()).arg(picture.height()));
  } else {
    image_->setPixmap(QPixmap());
    image_->setText(imageStatusText(detail->imageStatus));
    image_->setToolTip(QString::fromStdString(detail->resolvedImage));
  }
  image_->show();

  QString title = QString::fromStdString(row.title);
  title_->setText(title.isEmpty() ? tr("(untitled)") : title);
  title_->show();

  addField(fields_, tr("ID"), QString::fromStdString(row.id));
  addField(fields_, tr("Catalog"), QString::fromStdString(detail->catalogName));
  addField(fields_, tr("Category"), QString::fromStdString(row.category));
  addField(fields_, tr("Brand"), QString::fromStdString(row.brand));
  addField(fields_, tr("Price"), row.price ? QLocale().toString(*row.price, 'f', 2) : QString());
  addField(fields_, tr("Image"), QString::fromStdString(detail->image));
  addField(fields_, tr("Description"), QString::fromStdString(detail->description));
  for (const auto& [name, value] : detail->attributes) {
    addField(attributes_, QString::fromStdString(name), QString::fromStdString(value));
  }
  attributesHeading_->setVisible(!detail->attributes.empty());
  fieldsBox_->show();
}

}  // namespace pl::ui
