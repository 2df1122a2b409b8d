#include "ui/pretrain/run_log_panel.h"

#include <QTime>

namespace pl::ui {

RunLogPanel::RunLogPanel(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setObjectName(QStringLiteral("runLog"));
  setMaximumBlockCount(5000);  // a long session must not grow without bound
  setPlaceholderText(tr("Messages of the runs you start here appear in this log."));
}

void RunLogPanel::addMessage(int level, const QString& message) {
  last_ = message;
  QString colour;
  QString prefix;
  if (level == 1) {
    ++warnings_;
    colour = QStringLiteral("#a05a00");
    prefix = tr("Warning: ");
  } else if (level >= 2) {
    ++errors_;
    colour = QStringLiteral("#b00020");
    prefix = tr("Error: ");
  }
  QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
  QString body = (prefix + message).toHtmlEscaped();
  if (!colour.isEmpty())
    body = QStringLiteral("<span style='color:%1'>%2</span>").arg(colour, body);
  appendHtml(QStringLiteral("<span style='color:gray'>%1</span>&nbsp; %2").arg(time, body));
}

}  // namespace pl::ui
