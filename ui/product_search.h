#pragma once
// Finds the product row ids that match the search box. The query scans every
// product (a LIKE over title, id, brand and category), which on a million
// rows takes long enough to freeze a window, so it runs on a pool thread
// with its own read connection; typing is debounced and stale answers are
// dropped.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <cstdint>
#include <vector>

namespace pl::ui {

/// Debounced, asynchronous product search over one project file.
class ProductSearch : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDebounceMs = 250;

  explicit ProductSearch(QObject* parent = nullptr);
  ~ProductSearch() override;

  /// The project to search; empty stops searching. Does not search by itself.
  void setProjectPath(const QString& path);
  const QString& text() const { return text_; }
  /// Queries actually run (tests prove the debounce with it).
  int queriesRun() const { return queriesRun_; }
  bool isSearching() const { return watcher_.isRunning() || timer_.isActive(); }

 public slots:
  /// New search text; the query runs once typing paused for kDebounceMs.
  void setText(const QString& text);
  /// Runs the current search now (project opened, import finished).
  void refresh();

 signals:
  void searchStarted();
  /// The ids matching `text`, in catalog order.
  void resultsReady(const QString& text, const std::vector<int64_t>& rowIds);
  void searchFailed(const QString& message);

 private:
  struct Answer {
    quint64 generation = 0;
    QString text;
    std::vector<int64_t> rowIds;
    QString error;
  };
  void onFinished();

  QString path_;
  QString text_;
  QTimer timer_;
  QFutureWatcher<Answer> watcher_;
  quint64 generation_ = 0;
  bool pending_ = false;  ///< a refresh waits for the running query to end
  int queriesRun_ = 0;
};

}  // namespace pl::ui
