#include "ui/project_summary_bar.h"

#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>

namespace pl::ui {

namespace {

QString count(int64_t n) { return QLocale().toString(static_cast<qlonglong>(n)); }

}  // namespace

QString summaryText(const pl::ProjectInfo& info) {
  auto item = [](int64_t n, const QString& what) {
    return QStringLiteral("<b>%1</b>&nbsp;%2").arg(count(n), what);
  };
  QStringList parts{
      item(info.products, QObject::tr("products")),
      item(info.withImage, QObject::tr("with image")),
      item(info.categories, QObject::tr("categories")),
      item(info.baskets, QObject::tr("baskets")),
      item(info.badRows, QObject::tr("bad rows")),
  };
  if (info.imagesMissing > 0) parts << item(info.imagesMissing, QObject::tr("images missing"));
  QString catalogs = QObject::tr("%n catalog(s)", nullptr, static_cast<int>(info.catalogs.size()));
  return parts.join(QStringLiteral(" &nbsp;·&nbsp; ")) + QStringLiteral(" &nbsp;·&nbsp; ") +
         catalogs;
}

ProjectSummaryBar::ProjectSummaryBar(QWidget* parent) : QLabel(parent) {
  setTextFormat(Qt::RichText);
  setWordWrap(true);
  connect(&watcher_, &QFutureWatcher<Answer>::finished, this, &ProjectSummaryBar::onFinished);
}

ProjectSummaryBar::~ProjectSummaryBar() { watcher_.waitForFinished(); }

void ProjectSummaryBar::refresh(const QString& path) {
  quint64 generation = ++generation_;
  if (path.isEmpty()) {
    clear();
    return;
  }
  setText(tr("Counting products…"));
  std::string file = path.toStdString();
  // A still running count of an older state is simply outdated by generation.
  watcher_.setFuture(QtConcurrent::run([generation, file] {
    Answer answer;
    answer.generation = generation;
    try {
      auto project = pl::Project::open(file, pl::OpenMode::ReadOnly);
      if (!project) {
        answer.error = QString::fromStdString(project.error().message);
        return answer;
      }
      auto info = pl::readProjectInfo(**project);
      if (info) answer.info = std::move(*info);
      else answer.error = QString::fromStdString(info.error().message);
    } catch (const std::exception& e) {
      answer.error = QString::fromUtf8(e.what());
    }
    return answer;
  }));
}

void ProjectSummaryBar::onFinished() {
  Answer answer = watcher_.result();
  if (answer.generation != generation_) return;
  if (!answer.error.isEmpty()) {
    setText(tr("<span style='color:#b00020'>Could not count products: %1</span>")
                .arg(answer.error.toHtmlEscaped()));
    return;
  }
  info_ = std::move(answer.info);
  setText(summaryText(info_));
  emit infoReady(info_);
}

}  // namespace pl::ui
