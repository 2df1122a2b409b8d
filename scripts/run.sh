#!/usr/bin/env bash
# Installs what is missing, builds, and opens the workbench on the built-in
# Fashion-MNIST demo project (built on first start, in a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The same Release tree as scripts/test.sh (build/ci), so a newcomer who runs
# both builds the program once.
cmake --preset ci -DPL_BUILD_CORE_TESTS=OFF
cmake --build --preset ci -j "$(nproc)" --target productlens productlens-cli
exec build/ci/app/productlens --demo "$@"
