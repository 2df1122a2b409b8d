#!/usr/bin/env bash
# Kill harness (issue 9): SIGKILLs productlens-cli at random moments of
# import, pretraining, resume, embedding and export, checking the project
# after every kill (docs/faults.md). KILLS defaults to 200.
#   scripts/kill_harness.sh [KILLS] [--cli PATH] [--work DIR] [--seed S] [--summary FILE]
# Exits non-zero when any check failed. Runs under nice: it is long.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-200}
shift || true
exec nice -n 19 python3 bench/kill_harness.py --kills "$kills" "$@"
