#!/usr/bin/env python3
"""Writes a synthetic product catalog CSV of N rows for import benchmarks.

Columns mirror a real catalog: id, title, description, brand, category path,
price, image, and two free attributes. Deterministic for a given seed.
"""
import csv
import random
import sys

ADJ = ["Classic", "Slim", "Organic", "Waterproof", "Vintage", "Wireless", "Cotton", "Leather",
       "Compact", "Premium", "Kids", "Men's", "Women's", "Sports", "Ergonomic", "Stainless"]
NOUN = ["Shirt", "Jeans", "Sneaker", "Backpack", "Lamp", "Kettle", "Headphones", "Watch",
        "Jacket", "Dress", "Mug", "Chair", "Bottle", "Scarf", "Wallet", "Sandal"]
CATS = ["Apparel > Topwear > Shirts", "Apparel > Bottomwear > Jeans", "Footwear > Shoes > Sneakers",
        "Home > Lighting > Lamps", "Home > Kitchen > Kettles", "Electronics > Audio > Headphones",
        "Accessories > Watches > Analog", "Accessories > Bags > Backpacks"]
BRANDS = ["Acme", "Northwind", "Contoso", "Umbra", "Lumo", "Fabrikam", "Tailspin", "Zephyr"]
COLOURS = ["Black", "White", "Navy Blue", "Red", "Green", "Grey", "Beige", "Brown"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = sys.argv[2] if len(sys.argv) > 2 else "catalog.csv"
    rng = random.Random(42)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "description", "brand", "category", "price", "image",
                    "colour", "season"])
        for i in range(n):
            brand = rng.choice(BRANDS)
            title = f"{brand} {rng.choice(ADJ)} {rng.choice(COLOURS)} {rng.choice(NOUN)}"
            desc = f"{title}, item {i}; \"quoted\" detail" if i % 7 == 0 else ""
            w.writerow([f"P{i:07d}", title, desc, brand, rng.choice(CATS),
                        f"{rng.uniform(1, 500):.2f}", f"images/{i}.jpg" if i % 3 == 0 else "",
                        rng.choice(COLOURS), rng.choice(["Summer", "Winter", "Fall", "Spring"])])


if __name__ == "__main__":
    main()
