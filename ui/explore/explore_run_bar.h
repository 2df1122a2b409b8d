#pragma once
// The Explore page's top bar: which run, its embeddings (computed on
// request), which map (PCA, t-SNE, UMAP with their few settings), progress
// and Stop for the page's job, and the CSV export of the coordinates.

#include <QWidget>
#include <vector>

#include "projection/projection.h"
#include "ui/explore/explore_jobs.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace pl::ui {

/// Run chooser and map controls.
class ExploreRunBar : public QWidget {
  Q_OBJECT

 public:
  explicit ExploreRunBar(QWidget* parent = nullptr);

  /// Fills the chooser, keeping `select` chosen when it is listed (else the
  /// newest run with embeddings, else the newest). Emits nothing.
  void setRuns(const std::vector<RunChoice>& runs, const QString& select);
  QString runName() const;
  const RunChoice* run() const;
  pl::ProjectionMethod method() const;
  void setMethod(pl::ProjectionMethod method);
  pl::ProjectionOptions options() const;

  /// Enables what makes sense: `busy` while the page's job runs, `embedded`
  /// when the run has embeddings, `mapShown` when a map is on screen.
  void setState(bool busy, bool embedded, bool mapShown);
  void setProgress(qint64 done, qint64 total, const QString& phase);
  void setMessage(const QString& text);

  QComboBox* runCombo() const { return runs_; }
  QComboBox* methodCombo() const { return method_; }
  QPushButton* embedButton() const { return embed_; }
  QPushButton* mapButton() const { return map_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* exportButton() const { return export_; }

 signals:
  void runChosen(const QString& name);
  void methodChosen(pl::ProjectionMethod method);
  void embedRequested();
  void mapRequested();
  void stopRequested();
  void exportRequested();

 private:
  void showMethodSettings();

  std::vector<RunChoice> choices_;
  QComboBox* runs_;
  QPushButton* embed_;
  QComboBox* method_;
  QLabel* perplexityLabel_;
  QDoubleSpinBox* perplexity_;
  QLabel* neighboursLabel_;
  QSpinBox* neighbours_;
  QLabel* minDistLabel_;
  QDoubleSpinBox* minDist_;
  QPushButton* map_;
  QPushButton* stop_;
  QProgressBar* progress_;
  QLabel* message_;
  QPushButton* export_;
};

}  // namespace pl::ui
