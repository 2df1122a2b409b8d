#include "ui/explore/explore_page.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "store/project.h"
#include "ui/explore/colour_legend.h"
#include "ui/explore/explore_run_bar.h"
#include "ui/explore/hover_card.h"
#include "ui/explore/map_view.h"
#include "ui/explore/neighbour_finder.h"
#include "ui/explore/bought_together_panel.h"
#include "ui/explore/neighbours_panel.h"
#include "ui/explore/thumbnail_cache.h"
#include "ui/job_runner.h"
#include "ui/product_search.h"

namespace pl::ui {

ExplorePage::ExplorePage(QWidget* parent) : QWidget(parent) {
  runner_ = new JobRunner(this);
  thumbnails_ = new ThumbnailCache(96, 256, this);
  productSearch_ = new ProductSearch(this);
  finder_ = new NeighbourFinder(this);
  hoverCard_ = new HoverCard(this);

  runBar_ = new ExploreRunBar;
  map_ = new MapView;
  placeholder_ = new QLabel;
  placeholder_->setObjectName(QStringLiteral("explorePlaceholder"));
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
  placeholderEmbed_ = new QPushButton(tr("Compute embeddings"));
  auto* placeholderBox = new QWidget;
  auto* placeholderLayout = new QVBoxLayout(placeholderBox);
  placeholderLayout->addStretch();
  placeholderLayout->addWidget(placeholder_);
  placeholderLayout->addWidget(placeholderEmbed_, 0, Qt::AlignHCenter);
  placeholderLayout->addStretch();
  centre_ = new QStackedWidget;
  centre_->addWidget(placeholderBox);
  centre_->addWidget(map_);

  auto* mapColumn = new QWidget;
  auto* mapLayout = new QVBoxLayout(mapColumn);
  mapLayout->setContentsMargins(0, 0, 0, 0);
  mapLayout->addWidget(makeMapToolbar());
  mapLayout->addWidget(centre_, 1);
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("exploreStatus"));
  mapLayout->addWidget(status_);

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(mapColumn);
  split->addWidget(makeSidePanel());
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setSizes({900, 400});
  split->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  layout->addWidget(runBar_);
  layout->addWidget(split, 1);

  connect(placeholderEmbed_, &QPushButton::clicked, this, &ExplorePage::computeEmbeddings);
  connect(map_, &MapView::pointClicked, this, [this](int32_t point, Qt::KeyboardModifiers mods) {
    if (point >= 0 && (mods & Qt::ControlModifier)) {
      // Ctrl+click adds to (or removes from) the selection.
      std::vector<int32_t> points = selection_;
      auto it = std::find(points.begin(), points.end(), point);
      if (it == points.end()) points.push_back(point);
      else points.erase(it);
      selectPoints(points);
    } else {
      selectPoint(point);
    }
  });
  connect(map_, &MapView::areaSelected, this,
          [this](const std::vector<int32_t>& points, Qt::KeyboardModifiers) { selectPoints(points); });
  connect(map_, &MapView::hoverChanged, this, &ExplorePage::onHover);
  connect(map_, &MapView::viewMovedByUser, this, [this] { followAnimation_ = false; });
  connect(neighbours_, &NeighboursPanel::productActivated, this,
          [this](qint64 rowId) { selectPoint(pointOfRowId(rowId), true); });
  connect(boughtTogether_, &BoughtTogetherPanel::productActivated, this, [this](qint64 rowId) {
    // A product bought with it may be off the map (not embedded by this run).
    if (pointOfRowId(rowId) >= 0) selectPoint(pointOfRowId(rowId), true);
  });
  connect(neighbours_, &NeighboursPanel::kChanged, this, [this] {
    if (focus_ >= 0) showNeighboursOfFocus();
  });
  connect(legend_, &ColourLegend::entryActivated, this, &ExplorePage::selectLegendEntry);
  connect(thumbnails_, &ThumbnailCache::ready, this, [this](qint64 rowId) {
    hoverCard_->setPicture(rowId, thumbnails_->find(rowId));
  });
  connect(productSearch_, &ProductSearch::resultsReady, this,
          [this](const QString&, const std::vector<int64_t>& ids) { onSearchResults(ids); });
  connect(finder_, &NeighbourFinder::textResults, this,
          [this](const QString& text, const std::vector<pl::Neighbor>& hits) {
            clearSelection();
            showNeighbourEntries(tr("Closest in meaning to “%1”").arg(text.toHtmlEscaped()), hits);
            refreshHighlights();
          });
  connect(finder_, &NeighbourFinder::failed, neighbours_, &NeighboursPanel::showMessage);
  connect(&colourWatcher_, &QFutureWatcher<ColourAnswer>::finished, this,
          &ExplorePage::onColoursLoaded);
  connectJobs();
  createShortcuts();
  setProject(nullptr);
}

ExplorePage::~ExplorePage() {
  // Jobs report to this page's widgets: end them while those still exist.
  stopAndWait();
  colourWatcher_.waitForFinished();
}

QWidget* ExplorePage::makeMapToolbar() {
  colourBy_ = new QComboBox;
  colourBy_->setObjectName(QStringLiteral("exploreColourBy"));
  colourBy_->setToolTip(tr("Colour the points by a product field"));
  colourBy_->setMinimumContentsLength(12);  // the page must fit a 1280-pixel screen
  colourBy_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  pointSize_ = new QSpinBox;
  pointSize_->setRange(1, 16);
  pointSize_->setValue(3);
  pointSize_->setSuffix(tr(" px"));
  pointSize_->setToolTip(tr("Point size"));

  modes_ = new QButtonGroup(this);
  auto* bar = new QWidget;
  auto* layout = new QHBoxLayout(bar);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Colour by")));
  layout->addWidget(colourBy_);
  layout->addWidget(new QLabel(tr("Size")));
  layout->addWidget(pointSize_);
  layout->addSpacing(8);
  auto addMode = [&](const QString& text, const QString& tip, MapView::DragMode mode) {
    auto* button = new QToolButton;
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    modes_->addButton(button, static_cast<int>(mode));
    layout->addWidget(button);
  };
  addMode(tr("Pan"), tr("Drag to pan, wheel to zoom (P)"), MapView::DragMode::Pan);
  addMode(tr("Rectangle"), tr("Drag a rectangle to select (B, or Shift+drag)"),
          MapView::DragMode::Rectangle);
  addMode(tr("Lasso"), tr("Draw around points to select them (L, or Ctrl+drag)"),
          MapView::DragMode::Lasso);
  modes_->button(static_cast<int>(MapView::DragMode::Pan))->setChecked(true);
  auto addAction = [&](const QString& text, const QString& tip, auto slot) {
    auto* button = new QToolButton;
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    connect(button, &QToolButton::clicked, this, slot);
    layout->addWidget(button);
  };
  addAction(tr("Reset view"), tr("Frame the whole map (R)"), [this] { map_->resetView(); });
  addAction(tr("Isolate"), tr("Show only the selected products and their neighbours (I)"),
            [this] { isolateSelection(); });
  addAction(tr("Show all"), tr("Show every product again (A)"), [this] { showAll(); });
  layout->addStretch(1);
  connect(colourBy_, &QComboBox::currentIndexChanged, this, &ExplorePage::colourBy);
  connect(pointSize_, &QSpinBox::valueChanged, map_, &MapView::setPointSize);
  connect(modes_, &QButtonGroup::idClicked, this,
          [this](int id) { map_->setDragMode(static_cast<MapView::DragMode>(id)); });
  return bar;
}

QWidget* ExplorePage::makeSidePanel() {
  legend_ = new ColourLegend;
  neighbours_ = new NeighboursPanel(thumbnails_);
  boughtTogether_ = new BoughtTogetherPanel;
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("exploreSearch"));
  search_->setPlaceholderText(tr("Find by title or id (Ctrl+F)"));
  search_->setToolTip(tr("Matches are ringed on the map; Return selects the first, a single "
                         "match is selected at once"));
  search_->setClearButtonEnabled(true);
  meaning_ = new QPushButton(tr("Search by meaning"));
  meaning_->setToolTip(tr("Search by meaning: embed the text with the run's model and list the "
                          "closest products (Ctrl+Return)"));
  connect(search_, &QLineEdit::textChanged, productSearch_, &ProductSearch::setText);
  connect(search_, &QLineEdit::returnPressed, this, [this] {
    if (!searchHits_.empty()) selectPoint(searchHits_.front(), true);
  });
  connect(meaning_, &QPushButton::clicked, this, &ExplorePage::searchByMeaning);

  // Search above the list it fills.
  auto* lower = new QWidget;
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  auto* searchRow = new QHBoxLayout;
  searchRow->addWidget(search_, 1);
  searchRow->addWidget(meaning_);
  lowerLayout->addLayout(searchRow);
  lowerLayout->addWidget(neighbours_, 3);
  lowerLayout->addWidget(boughtTogether_, 2);
  auto* split = new QSplitter(Qt::Vertical);
  split->setMinimumWidth(290);
  split->addWidget(legend_);
  split->addWidget(lower);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 2);
  split->setSizes({220, 480});  // a legend of ten or so values without scrolling
  split->setChildrenCollapsible(false);
  return split;
}

void ExplorePage::createShortcuts() {
  // Window-wide while the page shows (hidden pages' shortcuts are off);
  // single keys yield to a focused text field, which takes its own typing.
  auto add = [this](const QKeySequence& keys, auto slot) {
    auto* shortcut = new QShortcut(keys, this);
    shortcut->setContext(Qt::WindowShortcut);
    connect(shortcut, &QShortcut::activated, this, slot);
  };
  add(QKeySequence(Qt::Key_R), [this] { map_->resetView(); });
  add(QKeySequence(Qt::Key_Escape), [this] {
    clearSelection();
    refreshHighlights();
  });
  add(QKeySequence(Qt::Key_I), [this] { isolateSelection(); });
  add(QKeySequence(Qt::Key_A), [this] { showAll(); });
  auto mode = [this](MapView::DragMode m) {
    modes_->button(static_cast<int>(m))->setChecked(true);
    map_->setDragMode(m);
  };
  add(QKeySequence(Qt::Key_P), [mode] { mode(MapView::DragMode::Pan); });
  add(QKeySequence(Qt::Key_B), [mode] { mode(MapView::DragMode::Rectangle); });
  add(QKeySequence(Qt::Key_L), [mode] { mode(MapView::DragMode::Lasso); });
  add(QKeySequence(Qt::CTRL | Qt::Key_M), [this] { computeMap(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { searchByMeaning(); });
  add(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { searchByMeaning(); });
}

void ExplorePage::focusSearch() {
  search_->setFocus(Qt::ShortcutFocusReason);
  search_->selectAll();
}

void ExplorePage::setProject(pl::Project* project) {
  stopAndWait();
  project_ = project;
  projectPath_ = project ? QString::fromStdString(project->path()) : QString();
  thumbnails_->setProjectPath(projectPath_);
  productSearch_->setProjectPath(projectPath_);
  boughtTogether_->setProject(project);
  clearRun();
  reloadColourFields();
  reloadRuns(QString());
  const RunChoice* run = runBar_->run();
  if (run && run->hasEmbeddings) openRun(run->name);
}

void ExplorePage::showPlaceholder(const QString& html) {
  placeholder_->setText(html);
  centre_->setCurrentIndex(0);
  const RunChoice* run = runBar_->run();
  placeholderEmbed_->setVisible(project_ && run && !run->hasEmbeddings);
}

void ExplorePage::updateState() {
  const RunChoice* run = runBar_->run();
  const bool busy = runner_->isRunning();
  runBar_->setState(busy, run && run->hasEmbeddings && run_.matrix, hasMap());
  placeholderEmbed_->setEnabled(!busy);
  meaning_->setEnabled(finder_->hasSearch());
  search_->setEnabled(project_ != nullptr);
  QString text;
  if (hasMap()) {
    text = tr("%1 points").arg(QLocale().toString(qlonglong(map_->pointCount())));
    if (!selection_.empty()) text += tr(" · %1 selected").arg(QLocale().toString(qlonglong(selection_.size())));
    if (!map_->cloud()->hidden().empty()) text += tr(" · isolated (A shows all)");
    if (!searchHits_.empty()) text += tr(" · %1 matches").arg(QLocale().toString(qlonglong(searchHits_.size())));
  }
  status_->setText(text);
}

}  // namespace pl::ui
