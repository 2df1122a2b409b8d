#!/usr/bin/env bash
# Pretraining step throughput: productlens-cli bench pretrain vs the PyTorch
# eager peer (bench/peer_mlm.py), same model, same settings, same threads, on
# this machine in one run. The two alternate for ROUNDS rounds so a busy
# machine slows both alike; the ratio of the medians is the figure we quote.
# Usage: bench/bench_pretrain.sh [extra flags for both, e.g. --steps 30]
# Env: CLI (default build/dev/app/productlens-cli, else build/model/...),
#      PYTHON (default /usr/bin/python3: Debian's python3-torch), THREADS
#      (default: all hardware threads), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${CLI:-}
if [ -z "$cli" ]; then
  for c in build/dev/app/productlens-cli build/model/app/productlens-cli; do
    if [ -x "$c" ]; then cli=$c; break; fi
  done
fi
[ -x "${cli:-}" ] || { echo "error: no productlens-cli built (set CLI=...)" >&2; exit 1; }
py=${PYTHON:-/usr/bin/python3}
threads=${THREADS:-$(nproc)}
rounds=${ROUNDS:-3}
settings=(--layers 2 --dim 128 --heads 4 --seq 32 --batch 64 --vocab 8000 --mask-rate 0.15
          --threads "$threads" "$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "settings: ${settings[*]}"
for r in $(seq "$rounds"); do
  "$cli" bench pretrain --encoder text-transformer "${settings[@]}" --json > "$work/ours.$r.json"
  "$py" bench/peer_mlm.py "${settings[@]}" --json > "$work/peer.$r.json"
done
"$py" - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
runs = {k: [json.load(open(f"{work}/{k}.{r}.json")) for r in range(1, rounds + 1)]
        for k in ("ours", "peer")}
for k, name in (("ours", "productlens-cli"), ("peer", "peer_mlm.py")):
    rates = [x["tokens_per_s"] for x in runs[k]]
    ms = [x["ms_per_step"] for x in runs[k]]
    print(f"{name:16s} threads {runs[k][0]['threads']}  tokens/s median {statistics.median(rates):9.0f}"
          f"  (rounds: {', '.join(f'{v:.0f}' for v in rates)})  ms/step {statistics.median(ms):7.1f}")
ours = statistics.median(x["tokens_per_s"] for x in runs["ours"])
peer = statistics.median(x["tokens_per_s"] for x in runs["peer"])
print(f"ratio ours/peer: {ours / peer:.2f}x (goal >= 2x)")
secs = runs["ours"][0].get("sections_ms", {})
if secs:
    print("ours, ms per step: " + "  ".join(f"{k} {v:.1f}" for k, v in secs.items()))
PY
