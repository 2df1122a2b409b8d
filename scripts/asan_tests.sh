#!/usr/bin/env bash
# CI's sanitizer pass (scripts/test.sh runs it after the fuzzers): builds the
# core, the CLI and their tests with AddressSanitizer + UBSan (preset asan: clang
# -O1, no GUI, build/asan) and runs those tests with LeakSanitizer on. Any
# report fails the test that caused it, and so CI.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan
