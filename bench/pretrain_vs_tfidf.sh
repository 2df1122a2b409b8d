#!/usr/bin/env bash
# The promise of the tool, measured: self-supervised embeddings of Myntra
# titles (title is the only input; the label is never seen) against TF-IDF,
# both scored by leave-one-out cosine 10-NN accuracy of articleType on the
# same items. Usage: bench/pretrain_vs_tfidf.sh [MINUTES=10] [extra pretrain flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
shift || true
cli=${CLI:-build/dev/app/productlens-cli}
catalog=../shared/datasets/myntra/products.csv
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
echo "work dir: $work"
"$cli" import "$work/myntra.plens" "$catalog" --quiet >/dev/null
/usr/bin/time -f "pretrain wall %e s, peak %M KB" \
  "$cli" pretrain "$work/myntra.plens" --run ssl --inputs title --time-limit "$minutes" "$@"
"$cli" embed "$work/myntra.plens" --run ssl --quiet
"$cli" export "$work/myntra.plens" --run ssl --format npy --out "$work/export"
/usr/bin/python3 bench/knn_eval.py embeddings "$work/export" --catalog "$catalog" --label articleType --json
/usr/bin/python3 bench/knn_eval.py tfidf "$catalog" --label articleType --ids "$work/export/ids.txt" --json
