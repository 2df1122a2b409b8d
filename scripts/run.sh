#!/usr/bin/env bash
# Installs what is missing, builds, and opens the workbench on the built-in
# Fashion-MNIST demo project (built on first start, in a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
exec build/dev/app/productlens --demo "$@"
