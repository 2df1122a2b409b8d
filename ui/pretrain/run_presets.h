#pragma once
// Run recipes: three built in (Quick look, Default, Thorough) and the
// user's own, saved with "Save as preset…" in QSettings. A preset is a
// recipe, not a project: applying one keeps the input fields and threads
// the panel already has, because those depend on the project and machine.

#include <QString>
#include <QStringList>
#include <optional>

#include "train/run_config.h"

namespace pl::ui {

/// Built-in and saved run presets.
class RunPresets {
 public:
  /// Names of the built-in presets, smallest first.
  static QStringList builtInNames();
  /// Names of the user's saved presets, sorted.
  static QStringList savedNames();
  /// The preset called `name` (built-in or saved), if there is one.
  static std::optional<pl::RunConfig> find(const QString& name);
  /// Saves (or replaces) a user preset. Built-in names are refused (false).
  static bool save(const QString& name, const pl::RunConfig& config);
  static void remove(const QString& name);
  /// `preset` with the project-specific settings of `current` kept.
  static pl::RunConfig applied(const pl::RunConfig& preset, const pl::RunConfig& current);
};

}  // namespace pl::ui
