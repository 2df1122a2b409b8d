#!/usr/bin/env bash
# CI's short fuzzing pass (scripts/test.sh runs it after the tests): builds
# every fuzz target with clang in build/fuzz and runs each for
# FUZZ_CI_SECONDS (default 20), two at a time, starting from the seeds and
# the regression inputs under fuzz/seeds/. Exits non-zero on any finding;
# the input is in build/fuzz/crashes/. Longer runs: scripts/fuzz.sh SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_PARALLEL=${FUZZ_PARALLEL:-2} exec bash scripts/fuzz.sh "${FUZZ_CI_SECONDS:-20}"
