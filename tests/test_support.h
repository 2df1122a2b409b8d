#pragma once
// Helpers shared by the tests: fixtures are small and written by the tests.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <string>

#include "catalog/catalog_import.h"
#include "common/job_context.h"
#include "store/project.h"

namespace pl::test {

/// Writes `bytes` to `dir/name` and returns the full path.
inline std::string writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
  QString path = dir.filePath(name);
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write(bytes);
  return path.toStdString();
}

/// Opens (creating) a project in `dir`, failing the test on error.
inline std::unique_ptr<Project> newProject(const QTemporaryDir& dir, const QString& name = "p.plens") {
  auto p = Project::open(dir.filePath(name).toStdString(), OpenMode::CreateIfMissing);
  if (!p) qFatal("cannot create project: %s", p.error().message.c_str());
  return std::move(*p);
}

/// A new project in `dir` with `csv` (written as dir/catalog.csv) imported;
/// fails the test on error. Pictures are resolved against `dir`.
inline std::unique_ptr<Project> importedProject(const QTemporaryDir& dir, const QByteArray& csv) {
  auto p = newProject(dir);
  ImportOptions o;
  o.catalogPath = writeFile(dir, "catalog.csv", csv);
  JobContext ctx;
  auto r = importCatalog(*p, o, ctx);
  if (!r) qFatal("import failed: %s", r.error().message.c_str());
  return p;
}

/// What a run of the real productlens-cli binary gave.
struct CliRun {
  int exitCode = -1;  ///< -1: crashed or timed out
  QByteArray out;
  QByteArray err;
};

/// Runs productlens-cli with `args` and waits (killing it after `timeoutMs`),
/// in `workingDirectory` when one is given.
inline CliRun runCli(const QStringList& args, int timeoutMs = 240000, const QString& workingDirectory = {}) {
  QProcess p;
  if (!workingDirectory.isEmpty()) p.setWorkingDirectory(workingDirectory);
  p.start(QString::fromUtf8(PL_CLI_PATH), args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

/// The shared real datasets, or an empty string when they are not here.
inline QString datasetsDir() {
  QString dir = QString::fromUtf8(PL_DATASETS_DIR);
  return QDir(dir).exists() ? dir : QString();
}

}  // namespace pl::test
