#!/usr/bin/env python3
"""Writes the quality suite's catalogs (issue 20) into OUTDIR as CSV files the
CLI imports with its own guesses, and prints one line per catalog:
NAME<TAB>FILE<TAB>LABELS (comma-separated)<TAB>extra import flags.

Only shape changes, never content: a join (Instacart's aisle and department
names), a header for the header-less PriceRunner file, and the first tagged
product type of a Chinese title as its category. Columns that restate the
label (PriceRunner's category id) or the matching ground truth (its cluster
id and label, used by the audit benchmark) are left out, so no run can see
the answer through them.

Usage: bench/suite_catalogs.py DATASETS OUTDIR
"""
import csv
import os
import sys


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def instacart(src, out):
    def names(file, key, value):
        with open(os.path.join(src, "instacart", file), encoding="utf-8") as f:
            return {r[key]: r[value] for r in csv.DictReader(f)}

    aisles = names("aisles.csv", "aisle_id", "aisle")
    departments = names("departments.csv", "department_id", "department")
    rows = []
    with open(os.path.join(src, "instacart", "products.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append([r["product_id"], r["product_name"], departments[r["department_id"]],
                         aisles[r["aisle_id"]]])
    path = os.path.join(out, "instacart.csv")
    write(path, ["product_id", "product_name", "department", "aisle"], rows)
    return path


def pricerunner(src, out):
    rows = []
    with open(os.path.join(src, "pricerunner", "pricerunner_aggregate.csv"), encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) != 7:
                continue
            product_id, title, merchant, _cluster, _cluster_label, _category_id, category = r
            rows.append([product_id, title, merchant, category])
    path = os.path.join(out, "pricerunner.csv")
    write(path, ["id", "title", "merchant", "category"], rows)
    return path


def zh(src, out):
    rows = []
    with open(os.path.join(src, "zh-ecommerce", "titles.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            types = [t.strip() for t in r["product_types"].split("|") if t.strip()]
            brands = [b.strip() for b in r["brands"].split("|") if b.strip()]
            rows.append([r["id"], r["title"], brands[0] if brands else "", types[0] if types else ""])
    path = os.path.join(out, "zh.csv")
    write(path, ["id", "title", "brand", "category"], rows)
    return path


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    catalogs = [
        ("myntra", os.path.join(src, "myntra", "products.csv"), "articleType,subCategory", ""),
        ("instacart", instacart(src, out), "aisle,department", "--map category=department>aisle"),
        ("walmart-amazon", os.path.join(src, "walmart-amazon", "amazon.csv"), "category", ""),
        ("pricerunner", pricerunner(src, out), "category", ""),
        ("zh", zh(src, out), "category", ""),
    ]
    only = os.environ.get("SUITE_ONLY", "")
    for name, path, labels, flags in catalogs:
        if only and name not in only.split(","):
            continue
        print(f"{name}\t{os.path.abspath(path)}\t{labels}\t{flags}")


if __name__ == "__main__":
    main()
