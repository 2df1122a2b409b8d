#!/usr/bin/python3
"""Leave-one-out cosine k-NN accuracy of a catalog label: the yardstick that
ProductLens embeddings must beat (issue 3), and the TF-IDF baseline itself.

  knn_eval.py tfidf      CATALOG.csv [--label articleType] [--text title] [--ids FILE]
  knn_eval.py embeddings DIR --catalog CATALOG.csv [--label articleType]

Each labelled item is a query; its k nearest other items (cosine) vote, the
majority label wins, ties go to the label with the larger summed similarity.
Accuracy = share of queries whose vote equals their own label. Items without
a label are neither queries nor neighbours.

TF-IDF follows scikit-learn's TfidfVectorizer conventions so the number can be
checked there: lowercase; word 1-2-grams over tokens matching (?u)\\b\\w\\w+\\b;
character 2-4-grams in the `char_wb` manner (each whitespace-separated word
padded with one space on each side; a word shorter than n gives the padded
word itself once); min_df 2 per block; smooth idf ln((1+N)/(1+df))+1;
sublinear tf 1+ln(tf); each block L2-normalised, then the two concatenated
with equal weight and the whole row L2-normalised again (the same as 1/sqrt(2)
per block whenever both blocks are non-empty).

Needs only numpy and scipy (Debian's python3-numpy, python3-scipy).
"""

import argparse
import csv
import json
import math
import re
import sys
import time
from collections import Counter

import numpy as np
import scipy.sparse as sp

WORD = re.compile(r"(?u)\b\w\w+\b")


def read_catalog(path, columns):
    """Rows of the catalog as dicts restricted to `columns` (plus `id`)."""
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ["id", *columns] if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"{path}: no column named {', '.join(missing)}")
        return [{c: (row.get(c) or "") for c in ["id", *columns]} for row in reader]


def word_ngrams(text):
    words = WORD.findall(text)
    return words + [a + " " + b for a, b in zip(words, words[1:])]


def char_wb_ngrams(text, lo=2, hi=4):
    out = []
    for word in text.split():
        w = " " + word + " "
        for n in range(lo, hi + 1):
            if len(w) <= n:  # short word: counted once, whatever n
                out.append(w)
                break
            out.extend(w[i:i + n] for i in range(len(w) - n + 1))
    return out


def tfidf_block(docs, min_df=2):
    """Sublinear-tf, smooth-idf, L2-normalised CSR matrix of n-gram lists."""
    df = Counter()
    for grams in docs:
        df.update(set(grams))
    vocab = {g: i for i, g in enumerate(sorted(g for g, c in df.items() if c >= min_df))}
    indptr, indices, data = [0], [], []
    for grams in docs:
        counts = Counter(g for g in grams if g in vocab)
        for g, c in counts.items():
            indices.append(vocab[g])
            data.append(1.0 + math.log(c))
        indptr.append(len(indices))
    n = len(docs)
    x = sp.csr_matrix((np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)),
                      shape=(n, len(vocab)))
    idf = np.zeros(len(vocab))
    for g, i in vocab.items():
        idf[i] = math.log((1 + n) / (1 + df[g])) + 1.0
    x = x @ sp.diags(idf)
    return normalize_rows(x.tocsr()), len(vocab)


def normalize_rows(x):
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sp.diags(1.0 / norms) @ x).tocsr()


def knn_votes(similarity_chunks, labels, k):
    """Correct-vote count over chunks of (row offset, similarity rows)."""
    n_labels = int(labels.max()) + 1
    correct = 0
    for start, sims in similarity_chunks:
        rows = np.arange(sims.shape[0])
        sims[rows, start + rows] = -np.inf  # leave one out
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        top_sims = np.take_along_axis(sims, top, axis=1).astype(np.float64)
        top_labels = labels[top]
        votes = np.zeros((sims.shape[0], n_labels))
        sim_sum = np.zeros_like(votes)
        np.add.at(votes, (rows[:, None], top_labels), 1.0)
        np.add.at(sim_sum, (rows[:, None], top_labels), top_sims)
        # Votes first; the summed similarity (|sum| <= k) only breaks ties.
        score = votes * (4.0 * k) + sim_sum
        predicted = score.argmax(axis=1)
        correct += int((predicted == labels[start:start + sims.shape[0]]).sum())
    return correct


def sparse_chunks(x, chunk, dense_features):
    """Rows of x @ x.T, chunk by chunk. The most frequent n-grams (which make
    the sparse product nearly dense and slow) go through BLAS; the long tail
    stays sparse. Exact either way; `dense_features` only trades memory for
    time."""
    df = np.asarray((x != 0).sum(axis=0)).ravel()
    order = np.argsort(-df, kind="stable")
    dense_cols, sparse_cols = order[:dense_features], order[dense_features:]
    xd = x[:, dense_cols].toarray().astype(np.float32)
    xs = x[:, sparse_cols].tocsr().astype(np.float32)
    xs_t = xs.T.tocsr()
    for start in range(0, x.shape[0], chunk):
        stop = min(start + chunk, x.shape[0])
        sims = xd[start:stop] @ xd.T
        tail = (xs[start:stop] @ xs_t).tocoo()
        sims[tail.row, tail.col] += tail.data
        yield start, sims


def dense_chunks(e, chunk):
    for start in range(0, e.shape[0], chunk):
        yield start, e[start:start + chunk] @ e.T


def encode_labels(values):
    names = sorted(set(values))
    index = {v: i for i, v in enumerate(names)}
    return np.array([index[v] for v in values], dtype=np.int64), len(names)


def run_tfidf(args):
    columns = args.text.split(",")
    rows = read_catalog(args.catalog, [args.label, *columns])
    if args.ids:
        with open(args.ids, encoding="utf-8") as f:
            keep = {line.strip() for line in f if line.strip()}
        rows = [r for r in rows if r["id"] in keep]
    rows = [r for r in rows if r[args.label].strip()]
    texts = [" ".join(r[c] for c in columns).lower() for r in rows]
    t0 = time.time()
    xw, vw = tfidf_block([word_ngrams(t) for t in texts])
    xc, vc = tfidf_block([char_wb_ngrams(t) for t in texts])
    x = normalize_rows(sp.hstack([xw, xc]).tocsr())
    t1 = time.time()
    labels, n_labels = encode_labels([r[args.label] for r in rows])
    correct = knn_votes(sparse_chunks(x, args.chunk, args.dense_features), labels, args.k)
    return {
        "mode": "tfidf", "catalog": args.catalog, "label": args.label, "text": columns,
        "items": len(rows), "classes": n_labels, "k": args.k,
        "accuracy": correct / len(rows),
        "features": {"word_1_2": vw, "char_wb_2_4": vc},
        "seconds": {"features": round(t1 - t0, 1), "knn": round(time.time() - t1, 1)},
    }


def run_embeddings(args):
    e = np.load(f"{args.dir}/embeddings.npy").astype(np.float32)
    with open(f"{args.dir}/ids.txt", encoding="utf-8") as f:
        ids = [line.rstrip("\n") for line in f]
    if e.ndim != 2 or e.shape[0] != len(ids):
        sys.exit(f"{args.dir}: embeddings.npy has shape {e.shape} but ids.txt has {len(ids)} lines")
    catalog = {r["id"]: r[args.label] for r in read_catalog(args.catalog, [args.label])}
    keep = [i for i, pid in enumerate(ids) if catalog.get(pid, "").strip()]
    unknown = sum(1 for pid in ids if pid not in catalog)
    e = e[keep]
    norms = np.linalg.norm(e, axis=1, keepdims=True)
    e /= np.where(norms == 0, 1, norms)
    labels, n_labels = encode_labels([catalog[ids[i]] for i in keep])
    t0 = time.time()
    correct = knn_votes(dense_chunks(e, args.chunk), labels, args.k)
    return {
        "mode": "embeddings", "dir": args.dir, "catalog": args.catalog, "label": args.label,
        "items": len(keep), "classes": n_labels, "k": args.k, "dim": int(e.shape[1]),
        "ids_not_in_catalog": unknown, "accuracy": correct / len(keep),
        "seconds": {"knn": round(time.time() - t0, 1)},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("tfidf", help="TF-IDF (word 1-2 + char_wb 2-4) baseline")
    t.add_argument("catalog")
    t.add_argument("--text", default="title", help="comma-separated text columns")
    t.add_argument("--ids", help="only the catalog ids listed in this file (e.g. an ids.txt)")
    t.add_argument("--dense-features", type=int, default=256,
                   help="most frequent n-grams multiplied densely (speed only)")
    e = sub.add_parser("embeddings", help="exported embeddings.npy + ids.txt")
    e.add_argument("dir")
    e.add_argument("--catalog", required=True)
    for s in (t, e):
        s.add_argument("--label", default="articleType")
        s.add_argument("-k", type=int, default=10)
        s.add_argument("--chunk", type=int, default=512)
        s.add_argument("--json", action="store_true")
    args = p.parse_args()
    result = run_tfidf(args) if args.mode == "tfidf" else run_embeddings(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['mode']} {args.k}-NN leave-one-out accuracy of {args.label} over "
              f"{result['items']} items ({result['classes']} classes): {result['accuracy']:.4f}")


if __name__ == "__main__":
    main()
