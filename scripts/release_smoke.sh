#!/usr/bin/env bash
# CI's end-to-end check of what ships (scripts/test.sh runs it after the
# Release build): the Release productlens-cli takes a small generated
# catalog through import -> pretrain (a few steps) -> embed -> neighbours ->
# export (npy and model) -> report, checking each output; then the .deb is
# built with cpack, unpacked into a scratch root, its contents checked and
# its productlens-cli run from there (`version`, then the same import).
# The sanitizer build runs the CLI tests; this runs the binary users get.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/ci}
CLI="$BUILD/app/productlens-cli"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "release_smoke: $*" >&2; exit 1; }

# 400 products in 8 kinds; every title has words the tokenizer can learn.
{
  echo "id,title,brand,category,price"
  kinds=(shirt boot scarf kettle backpack watch lamp mug)
  colours=(red blue green black white grey navy beige)
  for i in $(seq 1 400); do
    k=${kinds[$((i % 8))]}
    echo "$i,${colours[$((i * 3 % 8))]} cotton $k $((i % 37)),Brand$((i % 5)),Home > ${k}s,$((5 + i % 50)).99"
  done
} > "$work/catalog.csv"

P="$work/shop.plens"
"$CLI" import "$P" "$work/catalog.csv" --quiet
"$CLI" pretrain "$P" --run smoke --encoder text-bow --dim 32 --embedding-dim 32 --vocab 200 \
  --max-steps 30 --batch 32 --checkpoint-every 10 --quiet
"$CLI" embed "$P" --run smoke --quiet
"$CLI" neighbors "$P" --run smoke --product 3 --k 5 --json > "$work/neighbours.json"
python3 -c 'import json, sys; n = json.load(open(sys.argv[1]))["neighbors"]; sys.exit(0 if len(n) == 5 else 1)' \
  "$work/neighbours.json" || fail "neighbors did not list 5 products: $(cat "$work/neighbours.json")"
"$CLI" export "$P" --run smoke --format npy --out "$work/npy" --quiet > "$work/export.txt"
grep -q "(32 dimensions)" "$work/export.txt" || fail "export misreports the vectors' size: $(cat "$work/export.txt")"
python3 - "$work/npy/embeddings.npy" <<'PY' || fail "embeddings.npy is not 400 x 32 float32"
import sys
with open(sys.argv[1], "rb") as f:
    assert f.read(6) == b"\x93NUMPY"
    f.read(2)
    header = f.read(int.from_bytes(f.read(2), "little")).decode()
    assert "'<f4'" in header and "(400, 32)" in header, header
PY
"$CLI" export "$P" --run smoke --format model --out "$work/model" --quiet
for f in model.safetensors config.json tokenizer.model; do [ -s "$work/model/$f" ] || fail "model export lacks $f"; done
"$CLI" report "$P" --run smoke --out "$work/report.html"
grep -q "smoke" "$work/report.html" || fail "the report does not name its run"
echo "release_smoke: the Release CLI went import -> pretrain -> embed -> neighbors -> export -> report"

# The package: built, unpacked, and its program run from the unpacked tree.
(cd "$BUILD" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls -t "$BUILD"/productlens_*.deb | head -1)
dpkg-deb --info "$deb" > "$work/deb-info.txt"
grep -q "Depends:.*libopenblas0-pthread" "$work/deb-info.txt" || fail "$deb does not depend on libopenblas0-pthread"
dpkg-deb -x "$deb" "$work/root"
for f in usr/bin/productlens usr/bin/productlens-cli usr/share/applications/productlens.desktop \
         usr/share/man/man1/productlens-cli.1; do
  [ -e "$work/root/$f" ] || fail "$deb lacks /$f"
done
"$work/root/usr/bin/productlens-cli" version > "$work/version.txt" || fail "the packaged CLI does not run"
grep -qi "productlens" "$work/version.txt" || fail "the packaged CLI printed no version: $(cat "$work/version.txt")"
"$work/root/usr/bin/productlens-cli" import "$work/packaged.plens" "$work/catalog.csv" --quiet
echo "release_smoke: $(basename "$deb") unpacks and its productlens-cli runs"
