#pragma once
// A page for a workflow that a later version fills in. It says plainly what
// will be there instead of showing controls that do nothing.

#include <QWidget>

namespace pl::ui {

/// "Coming in a later version" page with a description of the workflow.
class ComingPage : public QWidget {
  Q_OBJECT

 public:
  /// `points` become a bullet list of what the page will offer.
  ComingPage(const QString& title, const QString& summary, const QStringList& points,
             const QString& cliHint, QWidget* parent = nullptr);
};

}  // namespace pl::ui
