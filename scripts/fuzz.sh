#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 60):
#   scripts/fuzz.sh [SECONDS] [TARGET...]      # default: every target
# FUZZ_PARALLEL=N runs N targets at once (default 1: one core each, one at a
# time). Corpora grow in build/fuzz/corpus/TARGET, started from fuzz/seeds/
# or, for binary formats, from seeds the target writes itself; logs go to
# build/fuzz/logs/. A finding is written to build/fuzz/crashes/TARGET-*:
# fix the reader, then keep the input as a regression test or a seed under
# fuzz/seeds/ (replayed by every run). Exits 1 when any target found one.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(fuzz_csv fuzz_jsonl fuzz_idx fuzz_product_builder fuzz_run_config fuzz_image
             fuzz_project fuzz_checkpoint fuzz_model_import fuzz_hnsw fuzz_blobs)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
parallel=${FUZZ_PARALLEL:-1}

# Seeds committed under fuzz/seeds/ (text formats are tiny; binary ones are
# generated so the repository stays small and they follow the code).
seed_dirs() {
  case $1 in
    fuzz_csv|fuzz_jsonl|fuzz_product_builder) echo fuzz/seeds/text ;;
    fuzz_idx) echo fuzz/seeds/idx ;;
    fuzz_run_config) echo fuzz/seeds/run_config ;;
    fuzz_image) echo fuzz/seeds/image ;;
    fuzz_project) echo fuzz/seeds/project ;;
    fuzz_checkpoint) echo fuzz/seeds/checkpoint ;;
    fuzz_model_import) echo fuzz/seeds/model_import ;;
    fuzz_hnsw) echo fuzz/seeds/hnsw ;;
    fuzz_blobs) echo fuzz/seeds/blobs ;;
  esac
}
# Generated seeds: the target writes them when PL_FUZZ_WRITE_SEEDS names a folder.
writes_seeds() {
  case $1 in fuzz_image|fuzz_project|fuzz_checkpoint|fuzz_model_import|fuzz_hnsw|fuzz_blobs) return 0 ;; esac
  return 1
}
# A tokenizer as training writes it is about 250 KB (SentencePiece's NFKC
# table); the targets that read one keep it whole.
max_len() {
  case $1 in
    fuzz_model_import|fuzz_blobs) echo 262144 ;;
    fuzz_project|fuzz_checkpoint) echo 65536 ;;
    fuzz_hnsw) echo 8192 ;;
    fuzz_image) echo 16384 ;;
    *) echo 4096 ;;
  esac
}
# LibTorch's unpickler reserves whatever length a damaged pickle claims (up
# to 4 GiB of address space, never touched) before it fails; allow that one
# allocation there. The resident-set limit (4 GiB) still holds everywhere.
malloc_limit() { case $1 in fuzz_checkpoint) echo 8192 ;; *) echo 4096 ;; esac; }
# OpenCV's decoders are not instrumented, so libFuzzer sees no new coverage
# in a mutated photo and would drop the well-formed ones: keep the seeds.
# LibTorch leaks its zip reader's tables (a few KB) when it refuses a
# damaged archive; not ours to fix, so leaks are not findings there.
extra_flags() {
  case $1 in
    fuzz_image) echo "-keep_seed=1 -cross_over_uniform_dist=1" ;;
    fuzz_checkpoint) echo "-detect_leaks=0" ;;
  esac
}
asan_options() { case $1 in fuzz_checkpoint) echo detect_leaks=0 ;; *) echo "$ASAN_OPTIONS" ;; esac; }

[ -f build/fuzz/CMakeCache.txt ] || cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target "${targets[@]}"
mkdir -p build/fuzz/crashes build/fuzz/logs
# UBSan reports are findings too (by default it prints and carries on).
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

run_one() {
  local target=$1 corpus=build/fuzz/corpus/$1 log=build/fuzz/logs/$1.log
  mkdir -p "$corpus"
  local seeds
  seeds=$(seed_dirs "$target")
  if [ -d "$seeds" ]; then cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true; fi
  if writes_seeds "$target"; then PL_FUZZ_WRITE_SEEDS=$corpus "build/fuzz/fuzz/$target" >/dev/null 2>&1; fi
  local status=0
  ASAN_OPTIONS=$(asan_options "$target") "build/fuzz/fuzz/$target" "$corpus" -max_total_time="$seconds" -max_len="$(max_len "$target")" \
    -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb="$(malloc_limit "$target")" -artifact_prefix="build/fuzz/crashes/$target-" \
    -print_final_stats=1 $(extra_flags "$target") >"$log" 2>&1 || status=$?
  local runs cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -n1 || true)
  if [ "$status" -eq 0 ]; then
    echo "$target: ${seconds} s, ${runs:-?} runs, ${cov:-no coverage line}, no finding"
  else
    echo "$target: FINDING (exit $status), see $log and build/fuzz/crashes/$target-*"
    grep -m3 -E 'ERROR|runtime error|SUMMARY' "$log" || true
    return 1
  fi
}

failed=0
pids=()
for target in "${targets[@]}"; do
  run_one "$target" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$parallel" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
