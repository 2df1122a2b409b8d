#include "ui/recent_projects.h"

#include <QFileInfo>
#include <QSettings>

namespace pl::ui {

namespace {

const char* kKey = "recentProjects";

// One spelling per file, so ./a.plens and /abs/a.plens are one entry.
QString canonical(const QString& path) { return QFileInfo(path).absoluteFilePath(); }

QStringList save(QStringList list) {
  while (list.size() > RecentProjects::kMax) list.removeLast();
  QSettings().setValue(kKey, list);
  return list;
}

}  // namespace

QStringList RecentProjects::load() { return QSettings().value(kKey).toStringList(); }

QStringList RecentProjects::add(const QString& path) {
  QStringList list = load();
  list.removeAll(canonical(path));
  list.prepend(canonical(path));
  return save(list);
}

QStringList RecentProjects::remove(const QString& path) {
  QStringList list = load();
  list.removeAll(canonical(path));
  return save(list);
}

void RecentProjects::clear() { QSettings().remove(kKey); }

}  // namespace pl::ui
