#pragma once
// "Bought together" beside the nearest neighbours on the Explore page: what
// the project's baskets say goes with the selected product
// (core/recommend/recommender.h: co-purchases, most shared baskets first,
// then the most bought), each with its reason. Hidden in projects without
// baskets. Clicking one moves the selection to it, like a neighbour.

#include <QWidget>
#include <cstdint>
#include <vector>

#include "recommend/recommender.h"

class QLabel;
class QListWidget;

namespace pl {
class Project;
}

namespace pl::ui {

/// The selected product's "bought together" list.
class BoughtTogetherPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kItems = 5;

  explicit BoughtTogetherPanel(QWidget* parent = nullptr);

  /// Follows `project` (null: none); shows itself only when it has baskets.
  void setProject(pl::Project* project);
  /// Lists what goes with products.id `rowId` (indexed SQL on this thread:
  /// 10 ms for a rarely bought product, 150 ms for the most bought of 50k).
  void showFor(int64_t rowId, const QString& title);
  /// Nothing selected.
  void clear();

  bool hasBaskets() const { return hasBaskets_; }
  const std::vector<pl::Recommendation>& items() const { return items_; }
  QListWidget* list() const { return list_; }

 signals:
  /// The user picked a row (click or Enter).
  void productActivated(qint64 rowId);

 private:
  pl::Project* project_ = nullptr;
  bool hasBaskets_ = false;
  QLabel* heading_;
  QListWidget* list_;
  std::vector<pl::Recommendation> items_;
};

}  // namespace pl::ui
