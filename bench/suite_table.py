#!/usr/bin/env python3
"""The quality suite's table (bench/quality_suite.sh OUTDIR writes the JSON
this reads): one row per catalog, label and metric with the run's score,
TF-IDF's, LSA's, the margin over TF-IDF and whether the goal of issue 20 is met
(10-NN: at least 1 point above TF-IDF; every other metric: above it).

Usage: bench/suite_table.py OUTDIR [--json]
"""
import json
import os
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    return json.loads(text) if text else None


def by_source(entries):
    """The eval output lists the run first, then the baselines in the order asked."""
    run, tfidf, lsa = {}, {}, {}
    for e in entries:
        source = e["source"].lower()
        if "lsa" in source:
            lsa.setdefault(e.get("fraction", 0), e)
        elif "tf" in source and "idf" in source:
            tfidf.setdefault(e.get("fraction", 0), e)
        else:
            run.setdefault(e.get("fraction", 0), e)
    return run, tfidf, lsa


def rows_for(outdir, catalog, label):
    d = os.path.join(outdir, catalog)
    rows = []
    knn = load(os.path.join(d, f"knn-{label}.json"))
    if knn:
        run, tfidf, lsa = by_source(knn)
        for metric, key, need in (("10-NN accuracy", "knn_accuracy", 0.01),
                                  ("precision@10", "precision_at_k", 1e-12)):
            rows.append((metric, run[0][key], tfidf[0][key], lsa.get(0, {}).get(key), need))
    probe = load(os.path.join(d, f"probe-{label}.json"))
    tfidf_full = None
    if probe:
        run, tfidf, lsa = by_source(probe)
        if 0.1 in run:
            rows.append(("probe 10 % labels", run[0.1]["accuracy"], tfidf[0.1]["accuracy"],
                         lsa.get(0.1, {}).get("accuracy"), 1e-12))
        tfidf_full = tfidf.get(1.0) or tfidf.get(1)
        lsa_full = lsa.get(1.0) or lsa.get(1) or {}
    ft = load(os.path.join(d, f"finetune-{label}.json"))
    if ft and tfidf_full:
        rows.append(("fine-tuned 100 % labels", ft["accuracy"], tfidf_full["accuracy"],
                     lsa_full.get("accuracy"), 1e-12))
    return rows


def main():
    outdir = sys.argv[1]
    as_json = "--json" in sys.argv[2:]
    table = []
    with open(os.path.join(outdir, "catalogs.tsv"), encoding="utf-8") as f:
        catalogs = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for name, _file, labels, _flags in catalogs:
        seconds_path = os.path.join(outdir, name, "pretrain_seconds.txt")
        seconds = float(open(seconds_path).read()) if os.path.exists(seconds_path) else None
        for label in labels.split(","):
            for metric, run, tfidf, lsa, need in rows_for(outdir, name, label):
                table.append({"catalog": name, "label": label, "metric": metric, "run": run,
                              "tfidf": tfidf, "lsa": lsa, "margin": run - tfidf,
                              "met": run - tfidf >= need, "train_seconds": seconds})
    if as_json:
        print(json.dumps(table))
        return
    print("| catalog | label | metric | run | TF-IDF | LSA | margin | goal | training |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in table:
        lsa = "—" if r["lsa"] is None else f"{r['lsa']:.4f}"
        secs = "—" if r["train_seconds"] is None else f"{r['train_seconds']:.0f} s"
        print(f"| {r['catalog']} | {r['label']} | {r['metric']} | {r['run']:.4f} | {r['tfidf']:.4f} "
              f"| {lsa} | {r['margin'] * 100:+.2f} | {'met' if r['met'] else 'NOT met'} | {secs} |")
    met = sum(r["met"] for r in table)
    print(f"\n{met} of {len(table)} rows meet the goal")


if __name__ == "__main__":
    main()
