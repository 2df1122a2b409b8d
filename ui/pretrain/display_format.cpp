#include "ui/pretrain/display_format.h"

#include <QObject>
#include <cmath>

namespace pl::ui {

QString formatDuration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return QStringLiteral("—");
  auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return QObject::tr("%1 s").arg(s);
  if (s < 3600) return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString formatCount(double count) {
  const double a = std::fabs(count);
  if (a < 1e3) return QString::number(count, 'f', 0);
  if (a < 1e6) return QObject::tr("%1 k").arg(count / 1e3, 0, 'f', a < 1e4 ? 2 : 1);
  if (a < 1e9) return QObject::tr("%1 M").arg(count / 1e6, 0, 'f', a < 1e7 ? 2 : 1);
  return QObject::tr("%1 G").arg(count / 1e9, 0, 'f', 2);
}

QString formatValue(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? QStringLiteral("NaN") : QStringLiteral("∞");
  return QString::number(value, 'g', 4);
}

}  // namespace pl::ui
