#include "ui/explore/neighbour_finder.h"

#include <QtConcurrent/QtConcurrentRun>
#include <exception>

#include "neighbors/query_encoder.h"
#include "store/project.h"

namespace pl::ui {

NeighbourFinder::NeighbourFinder(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::vector<pl::Neighbor>>("std::vector<pl::Neighbor>");
  connect(&watcher_, &QFutureWatcher<Answer>::finished, this, &NeighbourFinder::onEncoded);
}

NeighbourFinder::~NeighbourFinder() { watcher_.waitForFinished(); }

void NeighbourFinder::setRun(const QString& projectPath, const QString& runName,
                             std::shared_ptr<const pl::NeighborSearch> search) {
  // A running encode keeps its own references; its answer becomes stale.
  ++generation_;
  projectPath_ = projectPath;
  runName_ = runName;
  search_ = std::move(search);
  encoder_.reset();
  pending_ = false;
}

std::vector<pl::Neighbor> NeighbourFinder::nearestToRow(int64_t row, int k) const {
  if (!search_ || row < 0 || row >= search_->matrix().rows()) return {};
  return search_->search(search_->matrix().row(row), k, row);
}

void NeighbourFinder::findText(const QString& text, int k) {
  pendingText_ = text;
  pendingK_ = k;
  pending_ = true;
  if (!watcher_.isRunning()) startText();
}

void NeighbourFinder::startText() {
  pending_ = false;
  if (!search_) {
    emit failed(tr("Open a run with embeddings first."));
    return;
  }
  const quint64 generation = generation_;
  const std::string path = projectPath_.toStdString(), run = runName_.toStdString();
  auto search = search_;
  auto encoder = encoder_;
  const QString text = pendingText_;
  const int k = pendingK_;
  watcher_.setFuture(QtConcurrent::run([=]() mutable {
    Answer answer;
    answer.generation = generation;
    answer.text = text;
    try {
      if (!encoder) {
        auto project = pl::Project::open(path, pl::OpenMode::ReadOnly);
        if (!project) {
          answer.error = QString::fromStdString(project.error().message);
          return answer;
        }
        auto opened = pl::QueryEncoder::open(**project, run);
        if (!opened) {
          answer.error = QString::fromStdString(opened.error().message);
          return answer;
        }
        encoder = std::shared_ptr<pl::QueryEncoder>(std::move(*opened));
      }
      answer.encoder = encoder;
      auto vector = encoder->encode(text.toStdString());
      if (!vector) {
        answer.error = QString::fromStdString(vector.error().message);
        return answer;
      }
      if (static_cast<int64_t>(vector->size()) != search->matrix().dim) {
        answer.error = tr("the encoder's vectors do not match the stored embeddings; embed the "
                          "run again");
        return answer;
      }
      answer.neighbours = search->search(vector->data(), k);
    } catch (const std::exception& e) {
      answer.error = QString::fromUtf8(e.what());
    }
    return answer;
  }));
}

void NeighbourFinder::onEncoded() {
  Answer answer = watcher_.result();
  const bool current = answer.generation == generation_;
  if (current && answer.encoder) encoder_ = answer.encoder;
  if (pending_) {
    startText();
  } else if (current) {
    if (answer.error.isEmpty()) emit textResults(answer.text, answer.neighbours);
    else emit failed(tr("Search by meaning failed: %1").arg(answer.error));
  }
}

}  // namespace pl::ui
