// The Explore page's selection side: picking points, their neighbours, the
// hover card, search by title / id and by meaning, isolate / show all, and
// colouring by a product field.

#include <QComboBox>
#include <QLineEdit>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <exception>

#include "store/product_queries.h"
#include "store/project.h"
#include "ui/explore/colour_legend.h"
#include "ui/explore/explore_page.h"
#include "ui/explore/hover_card.h"
#include "ui/explore/map_view.h"
#include "ui/explore/neighbour_finder.h"
#include "ui/explore/bought_together_panel.h"
#include "ui/explore/neighbours_panel.h"
#include "ui/explore/thumbnail_cache.h"

namespace pl::ui {

namespace {

// More hits than this are counted but not all outlined (the map would be one colour).
constexpr size_t kMaxSearchHits = 100000;

}  // namespace

int32_t ExplorePage::pointOfRowId(int64_t rowId) const {
  auto it = std::lower_bound(pointRowIds_.begin(), pointRowIds_.end(), rowId);
  if (it != pointRowIds_.end() && *it == rowId) return static_cast<int32_t>(it - pointRowIds_.begin());
  // Maps keep products in id order; anything else is looked up the slow way.
  it = std::find(pointRowIds_.begin(), pointRowIds_.end(), rowId);
  return it == pointRowIds_.end() ? -1 : static_cast<int32_t>(it - pointRowIds_.begin());
}

int64_t ExplorePage::rowIdOfPoint(int32_t point) const {
  return point >= 0 && point < static_cast<int32_t>(pointRowIds_.size()) ? pointRowIds_[point] : 0;
}

std::vector<int64_t> ExplorePage::selectedRowIds() const {
  std::vector<int64_t> rowIds;
  rowIds.reserve(selection_.size());
  for (int32_t point : selection_) rowIds.push_back(rowIdOfPoint(point));
  return rowIds;
}

void ExplorePage::refreshHighlights() {
  MapHighlights* h = map_->highlights();
  h->setSelection(selection_);
  h->setFocus(focus_);
  h->setNeighbours(neighbourPoints_);
  h->setSearchHits(searchHits_);
  map_->refreshHighlights();
  updateState();
  emit selectionChanged();
}

void ExplorePage::clearSelection() {
  selection_.clear();
  focus_ = -1;
  neighbourPoints_.clear();
  neighbours_->showMessage(tr("Click a point on the map, or search a product."));
  boughtTogether_->clear();
}

void ExplorePage::selectPoint(int32_t point, bool centre) {
  if (point < 0 || point >= static_cast<int32_t>(pointRowIds_.size())) {
    clearSelection();
    refreshHighlights();
    return;
  }
  selection_ = {point};
  focus_ = point;
  // A point hidden by Isolate comes back when chosen from the list.
  if (map_->cloud()->isHidden(point)) {
    auto hidden = map_->cloud()->hidden();
    hidden[point] = 0;
    map_->setHidden(std::move(hidden));
  }
  if (centre) map_->centreOn(point);
  showNeighboursOfFocus();
  refreshHighlights();
}

void ExplorePage::selectPoints(std::vector<int32_t> points) {
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  if (points.size() == 1) {
    selectPoint(points.front());
    return;
  }
  clearSelection();
  selection_ = std::move(points);
  if (!selection_.empty()) {
    neighbours_->showMessage(tr("%1 products selected. Click one to see its neighbours; "
                                "<b>Isolate</b> (I) shows only these.")
                                 .arg(QLocale().toString(qlonglong(selection_.size()))));
  }
  refreshHighlights();
}

void ExplorePage::showNeighboursOfFocus() {
  if (focus_ < 0 || !run_.matrix) return;
  const int64_t row = run_.matrix->indexOf(rowIdOfPoint(focus_));
  auto hits = finder_->nearestToRow(row, neighbours_->k());
  QString title;
  if (project_) {
    auto rows = pl::loadProductRows(project_->db(), {rowIdOfPoint(focus_)});
    if (!rows.empty()) title = QString::fromStdString(rows.front().title);
  }
  showNeighbourEntries(tr("Nearest to <b>%1</b>").arg(title.toHtmlEscaped()), hits);
  boughtTogether_->showFor(rowIdOfPoint(focus_), title);
}

void ExplorePage::showNeighbourEntries(const QString& heading,
                                       const std::vector<pl::Neighbor>& hits) {
  neighbourPoints_.clear();
  std::vector<int64_t> rowIds;
  std::vector<float> similarities;
  for (const pl::Neighbor& n : hits) {
    if (!run_.matrix || n.row < 0 || n.row >= run_.matrix->rows()) continue;
    rowIds.push_back(run_.matrix->rowIds[n.row]);
    similarities.push_back(n.similarity);
    int32_t point = pointOfMatrixRow_.empty() ? static_cast<int32_t>(n.row) : pointOfMatrixRow_[n.row];
    if (point >= 0 && point < static_cast<int32_t>(pointRowIds_.size())) neighbourPoints_.push_back(point);
  }
  std::vector<NeighbourEntry> entries;
  if (project_) {
    auto rows = pl::loadProductRows(project_->db(), rowIds);
    for (size_t i = 0; i < rows.size(); ++i) {
      entries.push_back({rowIds[i], QString::fromStdString(rows[i].title),
                         QString::fromStdString(rows[i].category), similarities[i]});
    }
  }
  neighbours_->showNeighbours(heading, entries);
}

void ExplorePage::onHover(int32_t point, const QPoint& globalPos) {
  if (point < 0 || !project_) {
    hoverCard_->hide();
    return;
  }
  const int64_t rowId = rowIdOfPoint(point);
  auto rows = pl::loadProductRows(project_->db(), {rowId});
  if (rows.empty() || rows.front().rowId == 0) return;
  QPixmap picture = thumbnails_->find(rowId);
  if (picture.isNull() && rows.front().hasImage) thumbnails_->request({rowId});
  hoverCard_->showProduct(rowId, QString::fromStdString(rows.front().title),
                          QString::fromStdString(rows.front().category), picture,
                          rows.front().hasImage, globalPos);
}

void ExplorePage::onSearchResults(const std::vector<int64_t>& rowIds) {
  searchHits_.clear();
  if (!search_->text().trimmed().isEmpty()) {
    for (int64_t id : rowIds) {
      int32_t point = pointOfRowId(id);
      if (point >= 0) searchHits_.push_back(point);
      if (searchHits_.size() >= kMaxSearchHits) break;
    }
  }
  // One match is the product being looked for: select it.
  if (searchHits_.size() == 1) selectPoint(searchHits_.front(), true);
  refreshHighlights();
}

void ExplorePage::searchByMeaning() {
  const QString text = search_->text().trimmed();
  if (text.isEmpty() || !finder_->hasSearch()) return;
  neighbours_->showMessage(tr("Embedding “%1”…").arg(text.toHtmlEscaped()));
  finder_->findText(text, neighbours_->k());
}

void ExplorePage::isolateSelection() {
  if (!hasMap() || (selection_.empty() && neighbourPoints_.empty())) return;
  std::vector<uint8_t> hidden(pointRowIds_.size(), 1);
  for (int32_t p : selection_) hidden[p] = 0;
  for (int32_t p : neighbourPoints_) hidden[p] = 0;
  map_->setHidden(std::move(hidden));
  map_->resetView();
  refreshHighlights();
}

void ExplorePage::showAll() {
  if (map_->cloud()->hidden().empty()) return;
  map_->setHidden({});
  map_->resetView();
  refreshHighlights();
}

void ExplorePage::reloadColourFields() {
  QSignalBlocker block(colourBy_);
  colourBy_->clear();
  colourBy_->addItem(tr("(one colour)"));
  fields_ = project_ ? pl::listProductFields(project_->db()) : std::vector<pl::ProductField>{};
  for (const pl::ProductField& f : fields_) colourBy_->addItem(QString::fromStdString(f.label()));
  // Level 1 of the category tells most at a glance.
  colourBy_->setCurrentIndex(fields_.empty() ? 0 : 1);
}

void ExplorePage::colourBy(int index) {
  const quint64 generation = ++colourGeneration_;
  if (index <= 0 || index > static_cast<int>(fields_.size()) || pointRowIds_.empty()) {
    colours_ = plainColours(pointRowIds_.size());
    map_->setColours(colours_.index, colours_.palette);
    legend_->setColours({}, colours_);
    return;
  }
  const pl::ProductField field = fields_[index - 1];
  const std::string path = projectPath_.toStdString();
  const std::vector<int64_t> rowIds = pointRowIds_;
  legend_->setColours(tr("%1 (loading…)").arg(QString::fromStdString(field.label())), PointColours{});
  // A million json_extract calls take a second: off the GUI thread.
  colourWatcher_.setFuture(QtConcurrent::run([generation, field, path, rowIds] {
    ColourAnswer answer;
    answer.generation = generation;
    answer.field = QString::fromStdString(field.label());
    try {
      auto project = pl::Project::open(path, pl::OpenMode::ReadOnly);
      if (!project) return answer;
      auto values = pl::loadFieldValues((*project)->db(), field, rowIds);
      answer.colours = looksNumeric(values) ? numericColours(values) : categoricalColours(values);
    } catch (const std::exception&) {
      // Left uncoloured; the legend says nothing was loaded.
    }
    return answer;
  }));
}

void ExplorePage::onColoursLoaded() {
  ColourAnswer answer = colourWatcher_.result();
  if (answer.generation != colourGeneration_) return;
  if (answer.colours.index.size() != pointRowIds_.size()) answer.colours = plainColours(pointRowIds_.size());
  colours_ = std::move(answer.colours);
  map_->setColours(colours_.index, colours_.palette);
  legend_->setColours(answer.field, colours_);
  refreshHighlights();  // outlines are filled with the points' colours
}

void ExplorePage::selectLegendEntry(int slot) {
  std::vector<int32_t> points;
  for (size_t i = 0; i < colours_.index.size(); ++i) {
    if (colours_.index[i] == slot && !map_->cloud()->isHidden(static_cast<int64_t>(i)))
      points.push_back(static_cast<int32_t>(i));
  }
  selectPoints(points);
}

}  // namespace pl::ui
