#pragma once
// The one way the GUI runs a core job on a project: on JobRunner's worker
// thread, with the worker's own connection (SQLite connections are per
// thread; WAL lets the window keep reading while the job writes), and the
// result handed back on the GUI thread.

#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "store/project.h"
#include "ui/job_runner.h"

namespace pl::ui {

/// Runs `job` on `projectPath` in the background; `done` gets its result (or
/// an error naming `what` when the job threw or never produced one) on the
/// GUI thread. False when another job is running. Jobs that only read (exports)
/// pass OpenMode::ReadOnly: they then work on a read-only project too.
template <typename T>
bool startProjectJob(JobRunner& runner, const QString& title, const QString& projectPath,
                     std::function<pl::Result<T>(pl::Project&, pl::JobContext&)> job,
                     std::function<void(const pl::Result<T>&)> done, const std::string& what,
                     pl::OpenMode mode = pl::OpenMode::Existing) {
  auto result = std::make_shared<std::optional<pl::Result<T>>>();
  std::string path = projectPath.toStdString();
  return runner.start(
      title,
      [result, path, mode, job = std::move(job)](pl::JobContext& context) {
        auto project = pl::Project::open(path, mode);
        if (!project) {
          result->emplace(project.error());
          return;
        }
        result->emplace(job(**project, context));
      },
      [result, done = std::move(done), what](const QString& crash) {
        if (!crash.isEmpty() || !*result) {
          done(pl::Error{crash.isEmpty() ? "the " + what + " stopped unexpectedly"
                                         : crash.toStdString()});
        } else {
          done(**result);
        }
      });
}

}  // namespace pl::ui
