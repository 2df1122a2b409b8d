#!/usr/bin/env python3
"""Writes an N-row catalog CSV for the big-catalog pipeline benchmark, made
from the real Myntra and Instacart titles (../shared/datasets): each row is a
real product's title, category and brand with a variant (size, pack, colour
or edition) drawn for it, so word and n-gram statistics stay those of real
catalogs while the row count reaches N. Without the datasets it falls back to
bench/make_catalog.py (which needs no data). Deterministic for a given seed.

Usage: bench/make_million_catalog.py [N] [OUT.csv] [DATASETS_DIR]
"""
import csv
import os
import random
import sys

VARIANTS = [
    lambda r: f"Pack of {r.choice([2, 3, 4, 6, 12])}",
    lambda r: f"Size {r.choice(['XS', 'S', 'M', 'L', 'XL', 'XXL'])}",
    lambda r: f"{r.choice([100, 250, 500, 750])} {r.choice(['g', 'ml'])}",
    lambda r: r.choice(["Black", "White", "Navy", "Red", "Olive", "Grey", "Beige"]),
    lambda r: f"{r.choice(['2024', '2025', 'Limited', 'Classic', 'Value'])} Edition",
    lambda r: "",
]


def real_products(datasets):
    rows = []
    myntra = os.path.join(datasets, "myntra", "products.csv")
    if os.path.exists(myntra):
        with open(myntra, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["title"]:
                    rows.append((r["title"], r["title"].split()[0],
                                 f"{r['masterCategory']} > {r['subCategory']} > {r['articleType']}"))
    instacart = os.path.join(datasets, "instacart")
    if os.path.exists(os.path.join(instacart, "products.csv")):
        with open(os.path.join(instacart, "aisles.csv"), encoding="utf-8") as f:
            aisles = {r["aisle_id"]: r["aisle"] for r in csv.DictReader(f)}
        with open(os.path.join(instacart, "products.csv"), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append((r["product_name"], "", "Grocery > " + aisles.get(r["aisle_id"], "other")))
    return rows


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = sys.argv[2] if len(sys.argv) > 2 else "million.csv"
    here = os.path.dirname(os.path.abspath(__file__))
    datasets = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "..", "shared", "datasets")
    source = real_products(datasets)
    if not source:
        sys.exit(f"no real catalog under {datasets}; use bench/make_catalog.py")
    rng = random.Random(42)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "brand", "category", "price"])
        for i in range(n):
            title, brand, category = source[i % len(source)] if i < len(source) else rng.choice(source)
            variant = rng.choice(VARIANTS)(rng)
            w.writerow([f"M{i:07d}", f"{title} {variant}".strip(), brand, category,
                        f"{rng.lognormvariate(3, 1):.2f}"])
    print(f"{out}: {n} rows from {len(source)} real products")


if __name__ == "__main__":
    main()
