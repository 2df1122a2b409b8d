#!/usr/bin/env bash
# The quality suite (issue 20): every development catalog through the default
# recipe, scored against TF-IDF and LSA with the project's own commands.
#
#   bench/quality_suite.sh OUTDIR [extra pretrain flags...]
#
# Per catalog: import (the CLI's own column guesses), `pretrain --run d` with
# the defaults (plus any extra flags, for a sweep), `embed`, then per label:
#   eval --baseline tfidf,lsa               leave-one-out 10-NN accuracy, precision@10
#   eval --baseline tfidf,lsa --probe 0.1,1 linear probe on the frozen vectors
#                                           vs logistic regression on TF-IDF / LSA
#   finetune --mode full --fraction 1       the fine-tuned run at 100 % of the labels
# All scores are also stored in each project. Ends with one table (catalog,
# label, metric, run, TF-IDF, LSA, margin, training time): bench/suite_table.py.
#
# Environment: CLI (default build/ci/app/productlens-cli), DATASETS (default
# ../shared/datasets), SUITE_ONLY=myntra,zh (a subset), SUITE_JOBS (catalogs
# at once, default 1: each job uses one LibTorch thread, so 2 fill 2 cores),
# SUITE_SKIP_FINETUNE=1 (leave out the 100 % fine-tune), SUITE_QUICK=1 (10-NN
# and precision@10 only: the quick sweep).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/quality_suite.sh OUTDIR [pretrain flags...]}
shift
cli=$(realpath "${CLI:-build/ci/app/productlens-cli}")
datasets=${DATASETS:-../shared/datasets}
jobs=${SUITE_JOBS:-1}
# Several catalogs at once: one OpenBLAS thread each, or their spinning
# threads fight over the cores.
if [ "$jobs" -gt 1 ]; then export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}; fi
mkdir -p "$out"
out=$(realpath "$out")
extra=("$@")

python3 bench/suite_catalogs.py "$datasets" "$out/catalogs" > "$out/catalogs.tsv"

one_catalog() {
  local name=$1 file=$2 labels=$3 flags=$4
  local dir="$out/$name" p="$out/$name/$name.plens"
  rm -rf "$dir"
  mkdir -p "$dir"
  # shellcheck disable=SC2086  # flags are words by design
  "$cli" import "$p" "$file" $flags --quiet > "$dir/import.txt"
  local start end
  start=$(date +%s.%N)
  "$cli" pretrain "$p" --run d "${extra[@]}" --json --quiet > "$dir/pretrain.json"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)" > "$dir/pretrain_seconds.txt"
  "$cli" embed "$p" --run d --quiet > /dev/null
  IFS=, read -r -a label_list <<< "$labels"
  for label in "${label_list[@]}"; do
    "$cli" eval "$p" --label "$label" --run d --baseline tfidf,lsa --json --quiet \
      > "$dir/knn-$label.json"
    [ -n "${SUITE_QUICK:-}" ] && continue
    "$cli" eval "$p" --label "$label" --run d --baseline tfidf,lsa --probe 0.1,1 --json --quiet \
      > "$dir/probe-$label.json"
    if [ -z "${SUITE_SKIP_FINETUNE:-}" ]; then
      "$cli" finetune "$p" --label "$label" --run d --mode full --fraction 1 \
        --name "d-ft-$label" --replace --json --quiet > "$dir/finetune-$label.json"
    fi
  done
  echo "suite: $name done ($(cat "$dir/pretrain_seconds.txt") s of pretraining)" >&2
}

running=0
while IFS=$'\t' read -r name file labels flags; do
  one_catalog "$name" "$file" "$labels" "$flags" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done < "$out/catalogs.tsv"
wait

python3 bench/suite_table.py "$out" | tee "$out/table.md"
