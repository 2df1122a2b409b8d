#pragma once
// The Explore page: the map of a run's embeddings (PCA, t-SNE or UMAP),
// coloured by any product field, with hover cards, click / rubber band /
// lasso selection, the selected product's nearest neighbours in the full
// embedding space, search by title or id and by meaning, and Isolate /
// Show all. Its jobs (embeddings, maps) run on its own JobRunner, so a map
// can be computed while a run trains; partial maps animate the view.

#include <QFutureWatcher>
#include <QWidget>
#include <any>
#include <cstdint>
#include <memory>
#include <vector>

#include "store/attribute_values.h"
#include "ui/explore/explore_jobs.h"
#include "ui/explore/point_colours.h"

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace pl {
class Project;
}

namespace pl::ui {

class ColourLegend;
class ExploreRunBar;
class HoverCard;
class JobRunner;
class MapView;
class NeighbourFinder;
class NeighboursPanel;
class BoughtTogetherPanel;
class ProductSearch;
class ThumbnailCache;

/// Explore a run's embeddings: map, neighbours, search.
class ExplorePage : public QWidget {
  Q_OBJECT

 public:
  explicit ExplorePage(QWidget* parent = nullptr);
  ~ExplorePage() override;

  /// The open project (owned by the caller; GUI thread only), or null. A
  /// job of this page is stopped first.
  void setProject(pl::Project* project);
  /// Stops the page's job (a map in progress is not stored) and waits.
  void stopAndWait();
  bool isBusy() const;
  JobRunner* jobs() const { return runner_; }

  /// Opens `runName` (its embeddings, search and stored map).
  void openRun(const QString& runName);
  void computeEmbeddings();
  /// Computes a map with the bar's method and settings.
  void computeMap();
  /// Writes the shown map's coordinates as CSV (no dialog when `path` is given).
  bool exportCoordinates(const QString& path = QString());

  /// Selects one point (-1: none) and shows its neighbours.
  void selectPoint(int32_t point, bool centre = false);
  /// Selects many points (no neighbours: they belong to one product).
  void selectPoints(std::vector<int32_t> points);
  void clearSelection();
  void isolateSelection();
  void showAll();
  /// Colours the map by `colourCombo()` entry `index` (0: one colour).
  void colourBy(int index);
  void searchByMeaning();
  void focusSearch();

  /// The map's point of a products.id, or -1.
  int32_t pointOfRowId(int64_t rowId) const;
  int64_t rowIdOfPoint(int32_t point) const;
  int32_t focusPoint() const { return focus_; }
  const std::vector<int32_t>& selection() const { return selection_; }
  /// products.id of the selected points (a hand-picked subset for fine-tuning).
  std::vector<int64_t> selectedRowIds() const;
  /// Points of the neighbours listed in the panel (highlighted on the map).
  const std::vector<int32_t>& neighbourPoints() const { return neighbourPoints_; }
  const PointColours& colours() const { return colours_; }
  bool hasMap() const;
  bool isColouring() const { return colourWatcher_.isRunning(); }

  MapView* map() const { return map_; }
  ExploreRunBar* runBar() const { return runBar_; }
  NeighboursPanel* neighbours() const { return neighbours_; }
  /// What the baskets say goes with the selected product (hidden without baskets).
  BoughtTogetherPanel* boughtTogether() const { return boughtTogether_; }
  ColourLegend* legend() const { return legend_; }
  QComboBox* colourCombo() const { return colourBy_; }
  QLineEdit* searchEdit() const { return search_; }
  QPushButton* meaningButton() const { return meaning_; }
  HoverCard* hoverCard() const { return hoverCard_; }
  QLabel* placeholder() const { return placeholder_; }

 signals:
  /// A run was opened (its embeddings and search are ready).
  void runOpened(const QString& name);
  /// A map is shown (stored, computed, or the last partial one).
  void mapShown();
  /// The selected points may have changed (see selectedRowIds()).
  void selectionChanged();

 protected:
  /// Runs trained or embedded elsewhere since the page was last shown appear.
  void showEvent(QShowEvent* event) override;

 private:
  struct ColourAnswer {
    quint64 generation = 0;
    QString field;
    PointColours colours;
  };
  QWidget* makeMapToolbar();
  QWidget* makeSidePanel();
  void createShortcuts();
  void connectJobs();
  void reloadRuns(const QString& select);
  void updateState();
  void showPlaceholder(const QString& html);
  void clearRun();
  /// No points, no selection (the run stays open).
  void clearMapPoints();
  void onRunOpened(const pl::Result<ExploreRun>& result);
  void showProjection(const pl::Projection& projection, bool fitView);
  void onPartial(const std::any& partial);
  void setPointRowIds(std::vector<int64_t> rowIds);
  void refreshHighlights();
  void showNeighboursOfFocus();
  void showNeighbourEntries(const QString& heading, const std::vector<pl::Neighbor>& hits);
  void onHover(int32_t point, const QPoint& globalPos);
  void onSearchResults(const std::vector<int64_t>& rowIds);
  void onColoursLoaded();
  void reloadColourFields();
  void selectLegendEntry(int slot);

  pl::Project* project_ = nullptr;
  QString projectPath_;
  JobRunner* runner_;
  ExploreRun run_;
  bool mapComputing_ = false;
  bool followAnimation_ = true;
  pl::ProjectionMethod shownMethod_ = pl::ProjectionMethod::Pca;
  std::vector<int64_t> pointRowIds_;   ///< products.id of each point
  std::vector<int32_t> pointOfMatrixRow_;  ///< empty: identity
  std::vector<int32_t> selection_;
  int32_t focus_ = -1;
  std::vector<int32_t> neighbourPoints_;
  std::vector<int32_t> searchHits_;
  std::vector<pl::ProductField> fields_;
  PointColours colours_;
  quint64 colourGeneration_ = 0;
  QFutureWatcher<ColourAnswer> colourWatcher_;

  ExploreRunBar* runBar_;
  QStackedWidget* centre_;
  QLabel* placeholder_;
  QPushButton* placeholderEmbed_;
  MapView* map_;
  QComboBox* colourBy_;
  QSpinBox* pointSize_;
  QButtonGroup* modes_;
  QLineEdit* search_;
  QPushButton* meaning_;
  QLabel* status_;
  ColourLegend* legend_;
  NeighboursPanel* neighbours_;
  BoughtTogetherPanel* boughtTogether_;
  HoverCard* hoverCard_;
  ThumbnailCache* thumbnails_;
  ProductSearch* productSearch_;
  NeighbourFinder* finder_;
};

}  // namespace pl::ui
