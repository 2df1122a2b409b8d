#include "ui/catalog_preview.h"

#include <QObject>

#include "catalog/record_reader.h"

namespace pl::ui {

CatalogPreview readCatalogPreview(const QString& path, int maxRows) {
  CatalogPreview preview;
  auto format = pl::formatFromPath(path.toStdString());
  preview.format = QString::fromLatin1(pl::formatName(format));
  auto reader = pl::openCatalogReader(path.toStdString(), format);
  if (!reader) {
    preview.error = QString::fromStdString(reader.error().message);
    return preview;
  }
  pl::RawRecord record;
  std::string reason;
  // Bounded so a file of nothing but broken lines cannot stall the dialog.
  for (int attempts = 0; preview.rows.size() < maxRows && attempts < maxRows * 10; ++attempts) {
    pl::ReadOutcome outcome = (*reader)->next(record, reason);
    if (outcome == pl::ReadOutcome::End) break;
    if (outcome == pl::ReadOutcome::Bad) {
      if (preview.badRows++ == 0) {
        preview.firstBadReason = QObject::tr("line %1: %2")
                                     .arg(record.line)
                                     .arg(QString::fromStdString(reason));
      }
      continue;
    }
    QStringList row;
    for (const std::string& field : record.fields) row << QString::fromStdString(field);
    preview.rows << row;
  }
  // Read last: a JSONL reader grows its header as new keys appear.
  for (const std::string& name : (*reader)->header()) preview.header << QString::fromStdString(name);
  for (QStringList& row : preview.rows) {
    while (row.size() < preview.header.size()) row << QString();
  }
  return preview;
}

}  // namespace pl::ui
