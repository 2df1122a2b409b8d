#!/usr/bin/env bash
# The recommendation suite (issue 22): the Instacart catalog and its 131,209
# real orders in a fresh project, scored with the project's own `baskets`
# on the fixed held-out baskets, all queries and the tail and cold slices.
#
#   bench/recommend_suite.sh OUTDIR
#
# Steps: bench/suite_catalogs.py's Instacart catalog (products joined with
# aisles and departments) and order_products__train.csv imported; `baskets`
# scores tf-idf, popularity and co-occurrence; unless RECOMMEND_SKIP_TRAIN=1,
# the recommender run: `pretrain --run rec --objectives contrastive,copurchase`
# (the cold products and held-out baskets are never trained on), `embed`,
# `finetune-retrieval --run rec --name rec-ft`, and `baskets --run rec-ft`.
# Ends with one JSON line:
#   {"all": {METHOD: {"recall10": R, "ndcg10": N}}, "tail": {...}, "cold": {...}, "seconds": {...}}
# METHOD among tfidf, popularity, cooccurrence, recommender.
#
# Environment: CLI (default build/ci/app/productlens-cli), DATASETS (default
# ../shared/datasets), RECOMMEND_SKIP_TRAIN=1 (the baselines only).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/recommend_suite.sh OUTDIR}
cli=$(realpath "${CLI:-build/ci/app/productlens-cli}")
datasets=$(realpath "${DATASETS:-../shared/datasets}")
mkdir -p "$out"
out=$(realpath "$out")
p="$out/instacart.plens"
rm -f "$p" "$p-wal" "$p-shm"
rm -rf "$p.runs"
declare -A seconds

timed() {  # timed NAME command...: runs it, records its wall seconds
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  seconds[$name]=$(python3 -c "print(round($end - $start, 1))")
}

python3 bench/suite_catalogs.py "$datasets" "$out/catalogs" > "$out/catalogs.tsv"
timed import "$cli" import "$p" "$out/catalogs/instacart.csv" \
  --baskets "$datasets/instacart/order_products__train.csv" --quiet > "$out/import.txt"
timed baselines "$cli" baskets "$p" --baseline tfidf,popularity,cooccurrence --json --quiet > "$out/baselines.json"
if [ -z "${RECOMMEND_SKIP_TRAIN:-}" ]; then
  timed pretrain "$cli" pretrain "$p" --run rec --objectives contrastive,copurchase --quiet > "$out/pretrain.txt"
  timed embed "$cli" embed "$p" --run rec --quiet > /dev/null
  timed finetune "$cli" finetune-retrieval "$p" --run rec --name rec-ft --json --quiet > "$out/finetune.json"
  "$cli" baskets "$p" --run rec-ft --json --quiet > "$out/recommender.json"
fi

seconds_json=$(for k in "${!seconds[@]}"; do echo "$k=${seconds[$k]}"; done | python3 -c '
import json, sys
print(json.dumps({k: float(v) for k, v in (line.strip().split("=") for line in sys.stdin if line.strip())}))')
python3 - "$out" "$seconds_json" <<'PY'
import json, os, sys
out, seconds = sys.argv[1], json.loads(sys.argv[2])
names = {"tf-idf": "tfidf", "popularity": "popularity", "co-occurrence": "cooccurrence"}
rows = json.load(open(os.path.join(out, "baselines.json")))
if os.path.exists(os.path.join(out, "recommender.json")):
    for row in json.load(open(os.path.join(out, "recommender.json"))):
        names[row["subject"]] = "recommender"
        rows.append(row)
result = {"all": {}, "tail": {}, "cold": {}, "seconds": seconds}
for row in rows:
    method = names[row["subject"]]
    result["all"][method] = {"recall10": row["recall_at_10"], "ndcg10": row["ndcg_at_10"]}
    for part in ("tail", "cold"):
        result[part][method] = {"recall10": row[part]["recall_at_10"], "ndcg10": row[part]["ndcg_at_10"],
                                "queries": row[part]["queries"]}
print(json.dumps(result))
PY
