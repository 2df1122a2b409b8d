#pragma once
// Which labelled products a fine-tune trains on: a stratified fraction of the
// label's training split, the products matching a filter ("brand = Acme"),
// or the products picked by hand in the Data page table or on the Explore
// map. The test split is never among them, whatever is chosen.

#include <QFutureWatcher>
#include <QString>
#include <QWidget>
#include <cstdint>
#include <vector>

#include "store/label_choices.h"
#include "store/product_filter.h"

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QTimer;

namespace pl::ui {

class ProductSelection;

/// Fraction, filter or hand-picked subset of the labelled products.
class SubsetChooser : public QWidget {
  Q_OBJECT

 public:
  enum class Kind { Fraction, Filter, HandPicked };

  explicit SubsetChooser(QWidget* parent = nullptr);
  ~SubsetChooser() override;

  /// The project (its path: counts run on a worker with their own
  /// connection) and the label fields to offer as filter fields.
  void setProject(const QString& path, const std::vector<pl::LabelChoice>& labels);
  /// The shared hand-picked selection (owned by the window), or null.
  void setSelection(ProductSelection* selection);

  Kind kind() const;
  void setKind(Kind kind);
  /// The chosen fraction (0.01 … 1).
  double fraction() const;
  void setFraction(double fraction);
  pl::ProductFilter filter() const;
  void setFilter(const pl::ProductFilter& filter);
  std::vector<int64_t> handPicked() const;
  /// Products the filter matched at the last count (-1 while counting or unknown).
  qint64 filterMatches() const { return matches_; }
  bool isCounting() const { return counting_ || countPending_; }

  /// Why the subset cannot be trained on ("" when it can).
  QString problem() const;
  /// Short words for run names and the log: "10", "brand-Acme", "picked-142".
  QString shortName() const;
  /// "10% of the training split", "brand = Acme (412 products)", …
  QString describe() const;

  QComboBox* fractionCombo() const { return fractionBox_; }
  QComboBox* filterFieldCombo() const { return fieldBox_; }
  QComboBox* filterOpCombo() const { return opBox_; }
  QLineEdit* filterValueEdit() const { return valueEdit_; }
  QLabel* filterCountLabel() const { return countLabel_; }
  QLabel* handPickedLabel() const { return pickedLabel_; }

 signals:
  void changed();

 private:
  struct Count {
    quint64 generation = 0;
    qint64 matches = -1;
    QString error;
  };
  void updateState();
  void scheduleCount();
  void startCount();
  void onCounted();
  void updatePickedLabel();

  QString path_;
  ProductSelection* selection_ = nullptr;
  QButtonGroup* kinds_;
  QRadioButton* fractionRadio_;
  QRadioButton* filterRadio_;
  QRadioButton* pickedRadio_;
  QComboBox* fractionBox_;
  QComboBox* fieldBox_;
  QComboBox* opBox_;
  QLineEdit* valueEdit_;
  QLabel* countLabel_;
  QLabel* pickedLabel_;
  QTimer* countTimer_;
  QFutureWatcher<Count> watcher_;
  quint64 generation_ = 0;
  bool countPending_ = false;
  /// From startCount to onCounted. Not watcher_.isRunning(): the future ends
  /// before its finished signal is delivered, and in between the count is
  /// neither running nor known.
  bool counting_ = false;
  qint64 matches_ = -1;
  QString countError_;
};

}  // namespace pl::ui
