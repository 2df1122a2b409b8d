#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 60).
# Crashes are written to build/fuzz/crashes/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p build/fuzz/crashes
for target in fuzz_csv fuzz_jsonl fuzz_idx fuzz_product_builder; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  cp -n fuzz/seeds/* "$corpus"/ 2>/dev/null || true
  echo "== $target for ${seconds}s"
  build/fuzz/fuzz/$target "$corpus" -max_total_time="$seconds" -max_len=4096 -timeout=5 \
    -artifact_prefix=build/fuzz/crashes/$target- -print_final_stats=1 2>&1 | tail -n 12
done
