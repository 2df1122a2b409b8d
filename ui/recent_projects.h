#pragma once
// The File › Open Recent list, kept in QSettings.

#include <QStringList>

namespace pl::ui {

/// Most recently opened project paths, newest first, at most kMax.
class RecentProjects {
 public:
  static constexpr int kMax = 8;

  /// Reads the list from the application's QSettings.
  static QStringList load();
  /// Moves `path` to the front (adding it if new) and saves.
  static QStringList add(const QString& path);
  /// Drops `path`, e.g. when it no longer exists, and saves.
  static QStringList remove(const QString& path);
  static void clear();
};

}  // namespace pl::ui
