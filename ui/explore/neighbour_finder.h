#pragma once
// Nearest neighbours for the Explore page: of a product (a row of the run's
// embedding matrix; answered at once, the search is fast) or of free text
// ("Search by meaning": the run's encoder, loaded once, runs on a pool thread).

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

#include "neighbors/neighbor_search.h"

namespace pl {
class QueryEncoder;
}

namespace pl::ui {

/// Answers neighbour queries against one run.
class NeighbourFinder : public QObject {
  Q_OBJECT

 public:
  explicit NeighbourFinder(QObject* parent = nullptr);
  ~NeighbourFinder() override;

  /// The run to search (null search: none). Drops the loaded encoder.
  void setRun(const QString& projectPath, const QString& runName,
              std::shared_ptr<const pl::NeighborSearch> search);
  bool hasSearch() const { return search_ != nullptr; }
  const pl::NeighborSearch* search() const { return search_.get(); }

  /// The k rows nearest to `row` (itself left out), best first.
  std::vector<pl::Neighbor> nearestToRow(int64_t row, int k) const;
  /// Starts encoding `text`; textResults() or failed() follows. A newer
  /// text replaces one still waiting.
  void findText(const QString& text, int k);
  bool isEncoding() const { return watcher_.isRunning(); }

 signals:
  void textResults(const QString& text, const std::vector<pl::Neighbor>& neighbours);
  void failed(const QString& message);

 private:
  struct Answer {
    quint64 generation = 0;
    QString text;
    std::shared_ptr<pl::QueryEncoder> encoder;
    std::vector<pl::Neighbor> neighbours;
    QString error;
  };
  void startText();
  void onEncoded();

  QString projectPath_;
  QString runName_;
  std::shared_ptr<const pl::NeighborSearch> search_;
  std::shared_ptr<pl::QueryEncoder> encoder_;
  quint64 generation_ = 0;
  QString pendingText_;
  int pendingK_ = 0;
  bool pending_ = false;
  QFutureWatcher<Answer> watcher_;
};

}  // namespace pl::ui

Q_DECLARE_METATYPE(std::vector<pl::Neighbor>)
