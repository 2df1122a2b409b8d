#pragma once
// Fixtures the UI tests build for themselves: a small catalog CSV with a few
// real PNG images, imported into a fresh project in a temporary folder.

#include <QString>
#include <QTemporaryDir>

#include "catalog/catalog_import.h"

class QWidget;

namespace pl::ui::test {

/// Header of the fixture CSV: Myntra-like names, so guessMapping has work.
extern const char* const kFixtureHeader;

/// Makes the test's QSettings and AppDataLocation private and names the app.
void isolateSettings();

/// Writes `rows` products to DIR/catalog.csv. Row 0 has a 28x28 grey PNG,
/// row 1 a 64x48 colour PNG, row 2 names a missing image, the rest none.
/// Even rows are "Blue shirt N" (brand Acme), odd rows "Red jeans N" (Zeta).
QString writeCatalog(const QString& dir, int rows);

/// writeCatalog + pl::importCatalog into DIR/project.plens; returns its path
/// (QFAIL-style: empty on failure, with the reason printed).
QString makeProject(const QString& dir, int rows);

/// Creates the project at `projectPath` and imports `options` into it; returns
/// the path (empty on failure, with the reason printed).
QString importIntoNewProject(const QString& projectPath, const pl::ImportOptions& options);

/// Saves what `widget` looks like as PL_SCREENSHOT_DIR/NAME when that
/// variable is set, so a person can check a layout without a display.
void maybeGrab(QWidget& widget, const QString& name);

}  // namespace pl::ui::test
