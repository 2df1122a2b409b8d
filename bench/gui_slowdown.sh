#!/usr/bin/env bash
# Issue 4: does watching a run in the workbench slow training down? Trains the
# same config ROUNDS times with productlens-cli and ROUNDS times in the GUI
# (Pretrain page showing, live curves, under Xvfb), alternating, and prints
# each run's own training clock (runs.elapsed_seconds).
# Usage: bench/gui_slowdown.sh [CONFIG.json]   env: BUILD=build/ci ROUNDS=3 WORK=dir
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/ci}
rounds=${ROUNDS:-3}
work=${WORK:-$(mktemp -d)}
config=${1:-$work/config.json}
if [ ! -f "$config" ]; then
  # The default recipe, a fixed number of steps so both sides do the same work.
  "$build/app/productlens-cli" pretrain --help >/dev/null
  cat > "$config" <<'JSON'
{"encoder": "text-transformer", "layers": 2, "dim": 128, "heads": 4, "max_length": 32,
 "epochs": 0, "max_steps": 400, "checkpoint_every": 1000, "inputs": ["title"]}
JSON
fi
project=$work/myntra.plens
[ -f "$project" ] || "$build/app/productlens-cli" import "$project" ../shared/datasets/myntra/products.csv --quiet >/dev/null
elapsed() { sqlite3 "$project" "SELECT printf('%.2f', elapsed_seconds) FROM runs WHERE name = '$1'"; }
status() { sqlite3 "$project" "SELECT status FROM runs WHERE name = '$1'" 2>/dev/null || true; }
for r in $(seq 1 "$rounds"); do
  "$build/app/productlens-cli" pretrain "$project" --run "cli-$r" --config "$config" --quiet >/dev/null
  echo "cli round $r: $(elapsed "cli-$r") s"
  # The GUI names its run; remember which names exist to find the new one.
  before=$(sqlite3 "$project" "SELECT group_concat(name) FROM runs")
  XDG_CONFIG_HOME=$work/xdg xvfb-run -a -s '-screen 0 1600x1000x24' \
    "$build/app/productlens" "$project" --run-config "$config" --start >/dev/null 2>&1 &
  gui=$!
  name=""
  for _ in $(seq 1 1200); do
    sleep 0.5
    name=$(sqlite3 "$project" "SELECT name FROM runs WHERE instr(',$before,', ','||name||',') = 0 LIMIT 1" 2>/dev/null || true)
    [ -n "$name" ] && [ "$(status "$name")" = finished ] && break
  done
  echo "gui round $r: $(elapsed "$name") s ($name)"
  kill "$gui" 2>/dev/null || true
  wait "$gui" 2>/dev/null || true
done
