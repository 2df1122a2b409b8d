#!/usr/bin/env bash
# The big-catalog pipeline (issue 9): import -> pretrain -> embed -> HNSW
# neighbours -> UMAP map, each stage its own productlens-cli process, timed by
# /usr/bin/time (wall, CPU of all threads, peak RSS). Prints a Markdown table
# (also written to WORK/stages.md) and keeps every stage's log in WORK.
#
# Usage: CLI=build/ci/app/productlens-cli bench/million_pipeline.sh [ROWS] [WORK]
#   EPOCHS (default 1) and THREADS (default 2) tune the pretraining and the
#   map; the catalog comes from bench/make_million_catalog.py (real titles).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=${2:-$(mktemp -d)}
cli=$(realpath "${CLI:-build/ci/app/productlens-cli}")
epochs=${EPOCHS:-1}
threads=${THREADS:-2}
mkdir -p "$work"
project=$work/big.plens
table=$work/stages.md

stamp='
import sys, time
start = time.time()
for line in sys.stdin:
    for part in line.replace("\r", "\n").splitlines():
        if part.strip():
            print(f"{time.time() - start:8.1f} {part}", flush=True)
'

stage() {  # name cli-args...
  local name=$1; shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  # The log's lines carry seconds since the stage began (progress phases).
  if ! /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$cli" "$@" 2>&1 |
      python3 -uc "$stamp" > "$work/$name.log"; then
    echo "stage $name failed; the end of $work/$name.log:" >&2
    tail -20 "$work/$name.log" >&2
    exit 1
  fi
  python3 - "$name" "$load" "$work/$name.time" >> "$table" <<'PY'
import sys
name, load, path = sys.argv[1:4]
wall, user, system, kb = open(path).read().split()[-4:]
print(f"| {name} | {float(wall):,.1f} s | {float(user) + float(system):,.1f} s | "
      f"{int(kb) / 1024:,.0f} MiB | {load} |")
PY
  tail -1 "$table"
}

python3 bench/make_million_catalog.py "$rows" "$work/catalog.csv"
rm -rf "$project" "$project"-wal "$project"-shm "$project"-journal "$project".*
{
  echo "| stage | wall | CPU (all threads) | peak RSS | load (1 min) at start |"
  echo "|---|---|---|---|---|"
} > "$table"
stage import import "$project" "$work/catalog.csv" --quiet
stage pretrain pretrain "$project" --run big --epochs "$epochs"
stage embed embed "$project" --run big
stage hnsw-build neighbors "$project" --run big --method hnsw --product M0000001 --k 10
stage hnsw-query neighbors "$project" --run big --method hnsw --product M0000002 --k 10
stage umap project "$project" --run big --method umap --threads "$threads" --out "$work/map.csv"

echo
cat "$table"
du -h "$project" "$(dirname "$project")"/big.plens.runs 2>/dev/null || true
head -12 "$work/hnsw-build.log"
