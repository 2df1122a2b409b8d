#!/usr/bin/env bash
# Import benchmark: Myntra (real, 44k rows, 9.6k images) and a generated
# 1,000,000-row catalog. Prints wall time, rows/s and peak memory per run.
# Usage: bench/import_bench.sh [ROWS] (needs a built build/dev tree)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
cli=${CLI:-build/dev/app/productlens-cli}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # name rows args...
  local name=$1 n=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$cli" import "$work/$name.plens" "$@" --quiet >/dev/null
  read -r secs kb < "$work/time"
  python3 - "$name" "$n" "$secs" "$kb" <<'PY'
import sys
name, n, secs, kb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"{name:10s} rows={n:>9,d} wall={secs:6.2f}s rate={n/secs:>10,.0f} rows/s peak_rss={kb/1024:7.1f} MiB")
PY
}

myntra=../shared/datasets/myntra/products.csv
if [ -f "$myntra" ]; then measure myntra 44446 "$myntra"; fi
python3 bench/make_catalog.py "$rows" "$work/synthetic.csv"
measure synthetic "$rows" "$work/synthetic.csv"
"$cli" info "$work/synthetic.plens" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('imported', d['products'], 'products;', d['images_missing'], 'image paths missing')"
