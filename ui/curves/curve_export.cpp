#include "ui/curves/curve_export.h"

#include <QLocale>
#include <QSaveFile>
#include <QTextStream>
#include <cmath>

namespace pl::ui {

namespace {

// RFC 4180: quote a field only when it needs it, doubling inner quotes.
QString csvField(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
      !text.contains(QLatin1Char('\n'))) {
    return text;
  }
  QString quoted = text;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// The shortest text that reads back as the same double: the CSV is data.
QString number(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? QString() : QString::number(value);
  return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

}  // namespace

bool writeCurvesCsv(const CurveStore& store, const std::map<qint64, QString>& labels,
                    const QString& path, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  QTextStream out(&file);
  out << "run,series,step,epoch,wall_seconds,value\n";
  for (const auto& [runId, label] : labels) {
    const CurveRun* run = store.run(runId);
    if (!run) continue;
    const QString runField = csvField(label);
    for (const auto& [name, s] : run->series) {
      const QString seriesField = csvField(QString::fromStdString(name));
      for (size_t i = 0; i < s.size(); ++i) {
        out << runField << ',' << seriesField << ',' << static_cast<qint64>(s.step[i]) << ','
            << number(s.epoch[i]) << ',' << number(s.wall[i]) << ',' << number(s.value[i]) << '\n';
      }
    }
  }
  out.flush();
  if (out.status() != QTextStream::Ok || !file.commit()) {
    if (error) *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

}  // namespace pl::ui
