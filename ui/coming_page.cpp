#include "ui/coming_page.h"

#include <QLabel>
#include <QVBoxLayout>

namespace pl::ui {

ComingPage::ComingPage(const QString& title, const QString& summary, const QStringList& points,
                       const QString& cliHint, QWidget* parent)
    : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(32, 24, 32, 24);
  QString html = QStringLiteral("<h2>%1</h2><p><i>%2</i></p><p>%3</p><ul>")
                     .arg(title.toHtmlEscaped(), tr("Coming in a later version of ProductLens."),
                          summary.toHtmlEscaped());
  for (const QString& point : points) html += QStringLiteral("<li>%1</li>").arg(point.toHtmlEscaped());
  html += QStringLiteral("</ul>");
  if (!cliHint.isEmpty()) {
    html += QStringLiteral("<p>%1 <code>%2</code></p>")
                .arg(tr("The same workflow will also run headless:"), cliHint.toHtmlEscaped());
  }
  auto* label = new QLabel(html);
  label->setObjectName(QStringLiteral("comingText"));
  label->setWordWrap(true);
  label->setTextFormat(Qt::RichText);
  label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  label->setMaximumWidth(760);
  layout->addWidget(label);
  layout->addStretch(1);
}

}  // namespace pl::ui
