#pragma once
// The run log: what happened, when, in plain words (started, paused,
// checkpoint saved, stopped, the NaN stop and other failures). Warnings and
// errors stand out in colour.

#include <QPlainTextEdit>

namespace pl::ui {

/// Append-only log of the page's runs.
class RunLogPanel : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit RunLogPanel(QWidget* parent = nullptr);

  /// `level` as pl::LogLevel: 0 info, 1 warning, 2 error.
  void addMessage(int level, const QString& message);
  /// The last message added (plain text), e.g. to avoid repeating it.
  const QString& lastMessage() const { return last_; }
  int warningCount() const { return warnings_; }
  int errorCount() const { return errors_; }

 private:
  QString last_;
  int warnings_ = 0;
  int errors_ = 0;
};

}  // namespace pl::ui
