#pragma once
// The long jobs the GUI starts on a project, packaged for JobRunner. Each
// opens its own connection on the worker thread (SQLite connections are per
// thread); WAL lets the window keep reading while the job writes.

#include <QString>
#include <functional>

#include "catalog/catalog_import.h"
#include "common/result.h"

namespace pl::ui {

class JobRunner;

/// Where the demo project lives: AppDataLocation/demo.plens.
QString demoProjectPath();

/// Imports into `projectPath`; `done` runs on the GUI thread. False when
/// another job is running.
bool startImport(JobRunner& runner, const QString& projectPath, const pl::ImportOptions& options,
                 std::function<void(const pl::Result<pl::ImportReport>&)> done);

/// Creates `projectPath` if needed and fills it with the Fashion-MNIST demo
/// catalog unless it already has products; `done` runs on the GUI thread.
bool startDemoBuild(JobRunner& runner, const QString& projectPath,
                    std::function<void(const pl::Status&)> done);

}  // namespace pl::ui
