#pragma once
// The first rows of a catalog file, read the way the import will read them,
// for the import dialog's preview and column choices.

#include <QList>
#include <QString>
#include <QStringList>

namespace pl::ui {

/// Header and first records of a catalog file.
struct CatalogPreview {
  QString format;           ///< "csv", "tsv", "jsonl"
  QStringList header;
  QList<QStringList> rows;  ///< aligned with header
  int badRows = 0;          ///< damaged records met while reading the preview
  QString firstBadReason;   ///< "line N: reason" of the first one
  QString error;            ///< the file could not be opened at all
};

/// Reads up to `maxRows` records of `path` (format from the extension).
CatalogPreview readCatalogPreview(const QString& path, int maxRows = 20);

}  // namespace pl::ui
