#include "ui/product_search.h"

#include <QtConcurrent/QtConcurrentRun>
#include <exception>

#include "store/product_queries.h"
#include "store/project.h"

namespace pl::ui {

ProductSearch::ProductSearch(QObject* parent) : QObject(parent) {
  timer_.setSingleShot(true);
  timer_.setInterval(kDebounceMs);
  connect(&timer_, &QTimer::timeout, this, &ProductSearch::refresh);
  connect(&watcher_, &QFutureWatcher<Answer>::finished, this, &ProductSearch::onFinished);
}

ProductSearch::~ProductSearch() {
  // The pool thread holds no pointer to us, but waiting keeps the
  // connection's lifetime inside the window's.
  watcher_.waitForFinished();
}

void ProductSearch::setProjectPath(const QString& path) {
  path_ = path;
  ++generation_;  // answers about the previous project are now stale
  timer_.stop();
  pending_ = false;
}

void ProductSearch::setText(const QString& text) {
  if (text == text_ && !timer_.isActive()) return;
  text_ = text;
  timer_.start();
}

void ProductSearch::refresh() {
  timer_.stop();
  if (path_.isEmpty()) return;
  if (watcher_.isRunning()) {
    // One scan at a time: a million-row LIKE per keystroke would pile up.
    pending_ = true;
    return;
  }
  pending_ = false;
  ++queriesRun_;
  quint64 generation = ++generation_;
  std::string path = path_.toStdString();
  QString text = text_;
  emit searchStarted();
  watcher_.setFuture(QtConcurrent::run([generation, path, text] {
    Answer answer;
    answer.generation = generation;
    answer.text = text;
    auto project = pl::Project::open(path, pl::OpenMode::ReadOnly);
    if (!project) {
      answer.error = QString::fromStdString(project.error().message);
      return answer;
    }
    try {
      answer.rowIds = pl::findProductRowIds((*project)->db(), text.trimmed().toStdString());
    } catch (const std::exception& e) {
      answer.error = QString::fromUtf8(e.what());
    }
    return answer;
  }));
}

void ProductSearch::onFinished() {
  Answer answer = watcher_.result();
  if (pending_) {
    refresh();
    return;
  }
  if (answer.generation != generation_) return;
  if (!answer.error.isEmpty()) {
    emit searchFailed(tr("Search failed: %1").arg(answer.error));
    return;
  }
  emit resultsReady(answer.text, answer.rowIds);
}

}  // namespace pl::ui
