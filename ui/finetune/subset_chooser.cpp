#include "ui/finetune/subset_chooser.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>
#include <exception>

#include "store/project.h"
#include "ui/product_selection.h"

namespace pl::ui {

namespace {

const double kFractions[] = {0.01, 0.05, 0.1, 0.5, 1.0};

QString percentText(double fraction) {
  return QLocale().toString(fraction * 100, 'g', 3) + QLatin1Char('%');
}

// Words only: the short name goes into a run name (a folder).
QString slug(const QString& text) {
  QString out;
  for (QChar c : text) out += c.isLetterOrNumber() ? c : QChar('-');
  while (out.contains(QStringLiteral("--"))) out.replace(QStringLiteral("--"), QStringLiteral("-"));
  return out.left(24).remove(QRegularExpression(QStringLiteral("^-+|-+$")));
}

}  // namespace

SubsetChooser::SubsetChooser(QWidget* parent) : QWidget(parent) {
  fractionRadio_ = new QRadioButton(tr("Fraction of the training split"));
  fractionRadio_->setToolTip(
      tr("A stratified, seeded share of every class: 1% keeps at least "
         "one product per class"));
  filterRadio_ = new QRadioButton(tr("Products matching a filter"));
  filterRadio_->setToolTip(
      tr("Only the labelled products whose field matches, e.g. brand = Acme "
         "or title contains shirt (ASCII case ignored)"));
  pickedRadio_ = new QRadioButton(tr("Hand-picked products"));
  pickedRadio_->setToolTip(
      tr("The products selected last in the Data page table (Ctrl/Shift+"
         "click) or on the Explore map (click, rectangle, lasso)"));
  kinds_ = new QButtonGroup(this);
  kinds_->addButton(fractionRadio_, static_cast<int>(Kind::Fraction));
  kinds_->addButton(filterRadio_, static_cast<int>(Kind::Filter));
  kinds_->addButton(pickedRadio_, static_cast<int>(Kind::HandPicked));
  fractionRadio_->setChecked(true);

  fractionBox_ = new QComboBox;
  fractionBox_->setObjectName(QStringLiteral("fraction"));
  for (double f : kFractions) fractionBox_->addItem(percentText(f), f);
  fractionBox_->setCurrentIndex(2);  // 10%

  fieldBox_ = new QComboBox;
  fieldBox_->setObjectName(QStringLiteral("filterField"));
  fieldBox_->setToolTip(tr("The field to test"));
  opBox_ = new QComboBox;
  opBox_->addItem(tr("contains"), static_cast<int>(pl::ProductFilter::Op::Contains));
  opBox_->addItem(tr("="), static_cast<int>(pl::ProductFilter::Op::Equals));
  opBox_->addItem(tr("starts with"), static_cast<int>(pl::ProductFilter::Op::StartsWith));
  valueEdit_ = new QLineEdit;
  valueEdit_->setObjectName(QStringLiteral("filterValue"));
  valueEdit_->setPlaceholderText(tr("text"));
  valueEdit_->setClearButtonEnabled(true);
  countLabel_ = new QLabel;
  countLabel_->setWordWrap(true);
  pickedLabel_ = new QLabel;
  pickedLabel_->setWordWrap(true);

  auto indent = [](QWidget* w) {
    auto* row = new QHBoxLayout;
    row->setContentsMargins(22, 0, 0, 0);
    row->addWidget(w, 1);
    return row;
  };
  // Field and operator on one line, the text on the next: three boxes in a
  // row made the settings column too wide for its splitter.
  auto* filterRow = new QHBoxLayout;
  filterRow->setContentsMargins(22, 0, 0, 0);
  filterRow->addWidget(fieldBox_, 3);
  filterRow->addWidget(opBox_, 2);
  fieldBox_->setMinimumContentsLength(8);
  fieldBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(fractionRadio_);
  layout->addLayout(indent(fractionBox_));
  layout->addWidget(filterRadio_);
  layout->addLayout(filterRow);
  layout->addLayout(indent(valueEdit_));
  layout->addLayout(indent(countLabel_));
  layout->addWidget(pickedRadio_);
  layout->addLayout(indent(pickedLabel_));

  countTimer_ = new QTimer(this);
  countTimer_->setSingleShot(true);
  countTimer_->setInterval(300);
  connect(countTimer_, &QTimer::timeout, this, &SubsetChooser::startCount);
  connect(&watcher_, &QFutureWatcher<Count>::finished, this, &SubsetChooser::onCounted);
  connect(kinds_, &QButtonGroup::idToggled, this, [this](int, bool on) {
    if (!on) return;
    if (kind() == Kind::Filter) scheduleCount();
    updateState();
    emit changed();
  });
  connect(fractionBox_, &QComboBox::currentIndexChanged, this, &SubsetChooser::changed);
  connect(fieldBox_, &QComboBox::currentIndexChanged, this, &SubsetChooser::scheduleCount);
  connect(opBox_, &QComboBox::currentIndexChanged, this, &SubsetChooser::scheduleCount);
  connect(valueEdit_, &QLineEdit::textChanged, this, &SubsetChooser::scheduleCount);
  updateState();
  updatePickedLabel();
}

SubsetChooser::~SubsetChooser() { watcher_.waitForFinished(); }

void SubsetChooser::setProject(const QString& path, const std::vector<pl::LabelChoice>& labels) {
  path_ = path;
  const QString field = fieldBox_->currentData().toString();
  QSignalBlocker block(fieldBox_);
  fieldBox_->clear();
  fieldBox_->addItem(tr("Title"), QStringLiteral("title"));
  fieldBox_->addItem(tr("Description"), QStringLiteral("description"));
  fieldBox_->addItem(tr("ID"), QStringLiteral("id"));
  fieldBox_->addItem(tr("Category path"), QStringLiteral("category"));
  for (const auto& l : labels) {
    fieldBox_->addItem(QString::fromStdString(l.display), QString::fromStdString(l.name));
  }
  const int keep = fieldBox_->findData(field);
  fieldBox_->setCurrentIndex(keep >= 0 ? keep : 0);
  matches_ = -1;
  scheduleCount();
}

void SubsetChooser::setSelection(ProductSelection* selection) {
  if (selection_) disconnect(selection_, nullptr, this, nullptr);
  selection_ = selection;
  if (selection_) {
    connect(selection_, &ProductSelection::changed, this, [this] {
      updatePickedLabel();
      if (kind() == Kind::HandPicked) emit changed();
    });
  }
  updatePickedLabel();
}

SubsetChooser::Kind SubsetChooser::kind() const { return static_cast<Kind>(kinds_->checkedId()); }

void SubsetChooser::setKind(Kind kind) { kinds_->button(static_cast<int>(kind))->setChecked(true); }

double SubsetChooser::fraction() const { return fractionBox_->currentData().toDouble(); }

void SubsetChooser::setFraction(double fraction) {
  for (int i = 0; i < fractionBox_->count(); ++i) {
    if (std::abs(fractionBox_->itemData(i).toDouble() - fraction) < 1e-9) {
      fractionBox_->setCurrentIndex(i);
      return;
    }
  }
  fractionBox_->addItem(percentText(fraction), fraction);
  fractionBox_->setCurrentIndex(fractionBox_->count() - 1);
}

pl::ProductFilter SubsetChooser::filter() const {
  pl::ProductFilter f;
  f.field = fieldBox_->currentData().toString().toStdString();
  f.op = static_cast<pl::ProductFilter::Op>(opBox_->currentData().toInt());
  f.value = valueEdit_->text().trimmed().toStdString();
  return f;
}

void SubsetChooser::setFilter(const pl::ProductFilter& filter) {
  int field = fieldBox_->findData(QString::fromStdString(filter.field));
  if (field >= 0) fieldBox_->setCurrentIndex(field);
  opBox_->setCurrentIndex(opBox_->findData(static_cast<int>(filter.op)));
  valueEdit_->setText(QString::fromStdString(filter.value));
}

std::vector<int64_t> SubsetChooser::handPicked() const {
  return selection_ ? selection_->rowIds() : std::vector<int64_t>{};
}

QString SubsetChooser::problem() const {
  switch (kind()) {
    case Kind::Fraction: return {};
    case Kind::Filter:
      if (valueEdit_->text().trimmed().isEmpty())
        return tr("type the text the filter compares with");
      if (!countError_.isEmpty()) return countError_;
      if (matches_ == 0 && !isCounting()) return tr("no product matches the filter");
      return {};
    case Kind::HandPicked:
      if (handPicked().empty()) {
        return tr("select products in the Data page table or on the Explore map first");
      }
      return {};
  }
  return {};
}

QString SubsetChooser::shortName() const {
  switch (kind()) {
    case Kind::Fraction: return QString::number(fraction() * 100, 'g', 3);
    case Kind::Filter: return slug(QString::fromStdString(filter().field + "-" + filter().value));
    case Kind::HandPicked: return QStringLiteral("picked-%1").arg(handPicked().size());
  }
  return {};
}

QString SubsetChooser::describe() const {
  switch (kind()) {
    case Kind::Fraction: return tr("%1 of the training split").arg(percentText(fraction()));
    case Kind::Filter: {
      QString text = QString::fromStdString(filter().describe());
      if (matches_ >= 0) text += tr(" (%1 products)").arg(QLocale().toString(matches_));
      return text;
    }
    case Kind::HandPicked:
      return tr("%1 hand-picked products").arg(QLocale().toString(qulonglong(handPicked().size())));
  }
  return {};
}

void SubsetChooser::updateState() {
  const Kind k = kind();
  fractionBox_->setEnabled(k == Kind::Fraction);
  fieldBox_->setEnabled(k == Kind::Filter);
  opBox_->setEnabled(k == Kind::Filter);
  valueEdit_->setEnabled(k == Kind::Filter);
  countLabel_->setVisible(k == Kind::Filter);
  pickedLabel_->setEnabled(k == Kind::HandPicked);
}

void SubsetChooser::updatePickedLabel() {
  if (!selection_ || selection_->size() == 0) {
    pickedLabel_->setText(
        tr("Nothing selected yet: select rows in the Data page (Ctrl/Shift+"
           "click) or points on the Explore map."));
    return;
  }
  const QString count =
      selection_->size() == 1
          ? tr("1 product")
          : tr("%1 products").arg(QLocale().toString(qulonglong(selection_->size())));
  pickedLabel_->setText(tr("%1 selected in %2; those in the test split are left out.")
                            .arg(count, selection_->source()));
}

void SubsetChooser::scheduleCount() {
  ++generation_;  // an answer in flight is about the old filter
  matches_ = -1;
  countError_.clear();
  countPending_ = !path_.isEmpty() && !valueEdit_->text().trimmed().isEmpty();
  countLabel_->setText(countPending_ ? tr("Counting…") : QString());
  if (countPending_) countTimer_->start();
  emit changed();
}

void SubsetChooser::startCount() {
  if (counting_) return;  // onCounted starts the next one
  countPending_ = false;
  counting_ = true;
  const quint64 generation = generation_;
  const std::string path = path_.toStdString();
  const pl::ProductFilter f = filter();
  watcher_.setFuture(QtConcurrent::run([generation, path, f] {
    Count count;
    count.generation = generation;
    auto project = pl::Project::open(path, pl::OpenMode::ReadOnly);
    if (!project) {
      count.error = QString::fromStdString(project.error().message);
      return count;
    }
    try {
      auto ids = pl::findProductsMatching((*project)->db(), f);
      if (ids)
        count.matches = static_cast<qint64>(ids->size());
      else
        count.error = QString::fromStdString(ids.error().message);
    } catch (const std::exception& e) {
      count.error = QString::fromUtf8(e.what());
    }
    return count;
  }));
}

void SubsetChooser::onCounted() {
  counting_ = false;
  const Count count = watcher_.result();
  if (count.generation != generation_) {
    // The filter changed meanwhile; count the new one now.
    if (countPending_ || !valueEdit_->text().trimmed().isEmpty()) {
      countPending_ = true;
      countTimer_->start();
    }
    return;
  }
  matches_ = count.matches;
  countError_ = count.error;
  if (!countError_.isEmpty()) {
    countLabel_->setText(
        QStringLiteral("<span style='color:#b00020'>%1</span>").arg(countError_.toHtmlEscaped()));
  } else {
    const QString n = QLocale().toString(matches_);
    countLabel_->setText(matches_ == 1
                             ? tr("1 product matches (left out if it is in the test split).")
                             : tr("%1 products match (those in the test split are left "
                                  "out).")
                                   .arg(n));
  }
  emit changed();
}

}  // namespace pl::ui
