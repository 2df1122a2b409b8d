#include "ui/pretrain/run_summaries.h"

#include <cstdio>

namespace pl::ui {

bool RunSummary::resumable() const {
  return run.status == "stopped" || run.status == "failed" || run.status == "running" ||
         run.status == "paused";
}

std::string RunSummary::objectivesText() const {
  if (!config) return "?";
  std::string out;
  for (const auto& [name, weight] : config->objectives) {
    if (!out.empty()) out += ", ";
    out += name;
    if (weight != 1.0) {
      char text[32];
      std::snprintf(text, sizeof text, " %g", weight);
      out += text;
    }
  }
  return out;
}

std::vector<RunSummary> loadRunSummaries(pl::Database& db) {
  std::vector<RunSummary> out;
  // The metrics primary key (run, name, step) makes both lookups an index seek.
  auto lastLoss = db.prepare(
      "SELECT value FROM metrics WHERE run_id = ? AND name = 'loss' ORDER BY step DESC LIMIT 1");
  auto lastValidation = db.prepare(
      "SELECT avg(value) FROM metrics WHERE run_id = ?1 AND name >= 'val/' AND name < 'val0' "
      "AND step = (SELECT max(step) FROM metrics WHERE run_id = ?1 AND name >= 'val/' AND "
      "name < 'val0')");
  for (auto& run : pl::listRuns(db)) {
    if (run.kind != "pretrain") continue;
    RunSummary s;
    s.run = run;
    auto config = pl::RunConfig::fromJson(run.configJson, "run " + run.name);
    if (config) s.config = *config;
    lastLoss.reset();
    lastLoss.bind(1, run.id);
    if (lastLoss.step()) s.finalLoss = lastLoss.real(0);
    lastValidation.reset();
    lastValidation.bind(1, run.id);
    if (lastValidation.step() && !lastValidation.isNull(0))
      s.finalValidation = lastValidation.real(0);
    s.checkpoint = pl::latestCheckpoint(db, run.id);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace pl::ui
