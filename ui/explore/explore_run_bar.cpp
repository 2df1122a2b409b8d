#include "ui/explore/explore_run_bar.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>

namespace pl::ui {

ExploreRunBar::ExploreRunBar(QWidget* parent) : QWidget(parent) {
  runs_ = new QComboBox;
  runs_->setObjectName(QStringLiteral("exploreRun"));
  // Narrow enough that the bar, busy or not, fits a 1280-pixel screen.
  runs_->setMinimumContentsLength(10);
  runs_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  runs_->setToolTip(tr("The run whose embeddings are explored"));
  embed_ = new QPushButton(tr("Compute embeddings"));
  embed_->setToolTip(tr("Embed every product with this run's model and store the vectors"));
  method_ = new QComboBox;
  method_->setObjectName(QStringLiteral("exploreMethod"));
  method_->addItem(QStringLiteral("PCA"), static_cast<int>(pl::ProjectionMethod::Pca));
  method_->addItem(QStringLiteral("t-SNE"), static_cast<int>(pl::ProjectionMethod::Tsne));
  method_->addItem(QStringLiteral("UMAP"), static_cast<int>(pl::ProjectionMethod::Umap));
  method_->setCurrentIndex(2);
  method_->setToolTip(tr("How the embeddings are laid out in 2D; a stored map shows at once"));
  const pl::ProjectionOptions defaults;
  perplexity_ = new QDoubleSpinBox;
  perplexity_->setRange(2, 200);
  perplexity_->setValue(defaults.perplexity);
  perplexity_->setToolTip(tr("t-SNE perplexity: about how many neighbours each point keeps close"));
  perplexityLabel_ = new QLabel(tr("perplexity"));
  neighbours_ = new QSpinBox;
  neighbours_->setRange(2, 200);
  neighbours_->setValue(defaults.nNeighbors);
  neighbours_->setToolTip(tr("UMAP n_neighbors: larger keeps more of the global shape"));
  neighboursLabel_ = new QLabel(tr("n_neighbors"));
  minDist_ = new QDoubleSpinBox;
  minDist_->setRange(0, 1);
  minDist_->setSingleStep(0.05);
  minDist_->setValue(defaults.minDist);
  minDist_->setToolTip(tr("UMAP min_dist: how tightly points may pack"));
  minDistLabel_ = new QLabel(tr("min_dist"));
  map_ = new QPushButton(tr("Compute map"));
  map_->setToolTip(tr("Compute this map of the run's embeddings and store it (Ctrl+M)"));
  stop_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
  stop_->setToolTip(tr("Stop the page's job; a stopped map is not stored"));
  progress_ = new QProgressBar;
  progress_->setMaximumWidth(110);
  progress_->setTextVisible(true);
  message_ = new QLabel;
  message_->setObjectName(QStringLiteral("exploreMessage"));
  // Long phases ("Finding nearest neighbours") must not widen the bar.
  message_->setMinimumWidth(80);
  message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  export_ = new QPushButton(tr("Export map…"));
  export_->setToolTip(tr("Write the map's coordinates as CSV: id,x,y"));

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Run")));
  layout->addWidget(runs_);
  layout->addWidget(embed_);
  layout->addSpacing(12);
  layout->addWidget(new QLabel(tr("Map")));
  layout->addWidget(method_);
  for (QWidget* w : std::initializer_list<QWidget*>{perplexityLabel_, perplexity_, neighboursLabel_,
                                                    neighbours_, minDistLabel_, minDist_})
    layout->addWidget(w);
  layout->addWidget(map_);
  layout->addWidget(stop_);
  layout->addWidget(progress_);
  layout->addWidget(message_, 1);
  layout->addWidget(export_);

  connect(runs_, &QComboBox::currentIndexChanged, this, [this] { emit runChosen(runName()); });
  connect(method_, &QComboBox::currentIndexChanged, this, [this] {
    showMethodSettings();
    emit methodChosen(method());
  });
  connect(embed_, &QPushButton::clicked, this, &ExploreRunBar::embedRequested);
  connect(map_, &QPushButton::clicked, this, &ExploreRunBar::mapRequested);
  connect(stop_, &QPushButton::clicked, this, &ExploreRunBar::stopRequested);
  connect(export_, &QPushButton::clicked, this, &ExploreRunBar::exportRequested);
  showMethodSettings();
  setState(false, false, false);
}

void ExploreRunBar::setRuns(const std::vector<RunChoice>& runs, const QString& select) {
  QSignalBlocker block(runs_);
  choices_ = runs;
  runs_->clear();
  int chosen = -1;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunChoice& r = runs[i];
    runs_->addItem(r.hasEmbeddings ? r.name : tr("%1 (no embeddings)").arg(r.name), r.name);
    if (r.name == select) chosen = static_cast<int>(i);
  }
  for (int i = static_cast<int>(runs.size()) - 1; chosen < 0 && i >= 0; --i) {
    if (runs[i].hasEmbeddings) chosen = i;
  }
  if (chosen < 0) chosen = static_cast<int>(runs.size()) - 1;
  runs_->setCurrentIndex(chosen);
}

QString ExploreRunBar::runName() const { return runs_->currentData().toString(); }

const RunChoice* ExploreRunBar::run() const {
  int i = runs_->currentIndex();
  return i >= 0 && i < static_cast<int>(choices_.size()) ? &choices_[i] : nullptr;
}

pl::ProjectionMethod ExploreRunBar::method() const {
  return static_cast<pl::ProjectionMethod>(method_->currentData().toInt());
}

void ExploreRunBar::setMethod(pl::ProjectionMethod method) {
  QSignalBlocker block(method_);
  method_->setCurrentIndex(method_->findData(static_cast<int>(method)));
  showMethodSettings();
}

pl::ProjectionOptions ExploreRunBar::options() const {
  pl::ProjectionOptions options;
  options.method = method();
  options.perplexity = perplexity_->value();
  options.nNeighbors = neighbours_->value();
  options.minDist = minDist_->value();
  return options;
}

void ExploreRunBar::showMethodSettings() {
  const bool tsne = method() == pl::ProjectionMethod::Tsne;
  const bool umap = method() == pl::ProjectionMethod::Umap;
  perplexityLabel_->setVisible(tsne);
  perplexity_->setVisible(tsne);
  neighboursLabel_->setVisible(umap);
  neighbours_->setVisible(umap);
  minDistLabel_->setVisible(umap);
  minDist_->setVisible(umap);
}

void ExploreRunBar::setState(bool busy, bool embedded, bool mapShown) {
  const bool haveRun = run() != nullptr;
  runs_->setEnabled(!busy && haveRun);
  embed_->setEnabled(!busy && haveRun);
  embed_->setText(embedded ? tr("Recompute embeddings") : tr("Compute embeddings"));
  embed_->setVisible(haveRun);
  method_->setEnabled(!busy && embedded);
  map_->setEnabled(!busy && embedded);
  stop_->setEnabled(busy);
  stop_->setVisible(busy);
  progress_->setVisible(busy);
  export_->setEnabled(!busy && mapShown);
  // Stop and the progress bar take its place while busy: the bar stays as wide.
  export_->setVisible(!busy);
  if (!busy) progress_->reset();
}

void ExploreRunBar::setProgress(qint64 done, qint64 total, const QString& phase) {
  if (total <= 0) {
    progress_->setRange(0, 0);
  } else {
    // QProgressBar counts in int; a million-step job still fits in per-mille.
    progress_->setRange(0, 1000);
    progress_->setValue(static_cast<int>(1000.0 * done / total));
  }
  setMessage(phase);
}

void ExploreRunBar::setMessage(const QString& text) {
  message_->setText(text);
  message_->setToolTip(text);
}

}  // namespace pl::ui
