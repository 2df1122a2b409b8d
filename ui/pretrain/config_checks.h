#pragma once
// Explains, before Start, why a run configuration cannot work on this
// project (problems: Start stays disabled) or may not do what the user
// expects (notes). Problems in plain words first; RunConfig::validate()
// has the last word, so nothing it refuses gets past the page.

#include <QStringList>

#include "train/run_config.h"
#include "ui/pretrain/project_facts.h"

namespace pl::ui {

/// Reasons the run cannot start, each one sentence saying what to change.
/// Empty when it can.
QStringList configProblems(const pl::RunConfig& config, const ProjectFacts& facts);

/// Catalog size above which lexical views get a note: their (approximate)
/// neighbour search takes about a minute at this size on 2 cores, 5 at 1M.
constexpr int64_t kLexicalViewsWarnProducts = 200'000;

/// Things worth knowing that do not block the run (ignored settings,
/// sparse input fields, several limits at once, a long lexical-neighbour search).
QStringList configNotes(const pl::RunConfig& config, const ProjectFacts& facts);

}  // namespace pl::ui
