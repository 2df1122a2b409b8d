#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, and
# runs every test (core, CLI end-to-end, offscreen UI). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
ctest --preset ci -j 2
bash scripts/fuzz_ci.sh  # every reader fuzzed briefly (clang, build/fuzz); fails on a finding
