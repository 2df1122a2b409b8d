#pragma once
// Numbers the Pretrain page shows often, written the way a person reads them.

#include <QString>

namespace pl::ui {

/// "45 s", "3 min 20 s", "2 h 05 min"; "—" for negative or NaN.
QString formatDuration(double seconds);
/// "950", "12.3 k", "1.45 M", "2.1 G".
QString formatCount(double count);
/// A loss or rate with 4 significant digits ("2.731", "0.0005123").
QString formatValue(double value);

}  // namespace pl::ui
