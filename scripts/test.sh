#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test. CI runs
# exactly this. Three builds, each test once:
#   Release (preset ci, warnings are errors): the workbench, the CLI and the
#     offscreen UI tests, then the Release CLI end to end and the .deb
#     (scripts/release_smoke.sh);
#   fuzz (clang): every reader fuzzed briefly; fails on a finding;
#   asan (ASan + UBSan + LSan, -O1): the core and CLI tests (core/, cli/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset ci -DPL_BUILD_CORE_TESTS=OFF
cmake --build --preset ci -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
ctest --preset ci -j 2
bash scripts/release_smoke.sh   # the shipped CLI end to end, and the .deb
bash scripts/fuzz_ci.sh   # build/fuzz
bash scripts/asan_tests.sh  # build/asan
