#pragma once
// The one-line summary at the top of the Data page: how many products, how
// many with images, categories, baskets, refused rows. Counting takes a pass
// over every product, so it runs on a pool thread.

#include <QFutureWatcher>
#include <QLabel>

#include "store/project_info.h"

namespace pl::ui {

/// Shows pl::readProjectInfo for the open project.
class ProjectSummaryBar : public QLabel {
  Q_OBJECT

 public:
  explicit ProjectSummaryBar(QWidget* parent = nullptr);
  ~ProjectSummaryBar() override;

  /// Recounts `path` in the background; empty clears.
  void refresh(const QString& path);
  /// The last counts, valid once infoReady was emitted.
  const pl::ProjectInfo& info() const { return info_; }

 signals:
  void infoReady(const pl::ProjectInfo& info);

 private:
  struct Answer {
    quint64 generation = 0;
    pl::ProjectInfo info;
    QString error;
  };
  void onFinished();

  QFutureWatcher<Answer> watcher_;
  quint64 generation_ = 0;
  pl::ProjectInfo info_;
};

/// The summary as rich text (exposed for tests).
QString summaryText(const pl::ProjectInfo& info);

}  // namespace pl::ui
