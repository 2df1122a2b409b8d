#!/usr/bin/python3
"""Recomputes a ProductLens run's product vectors from its exported model
with NumPy alone, and compares them with the vectors the tool stored.

    productlens-cli export P.plens --run NAME --format model --out DIR
    /usr/bin/python3 bench/reproduce_embeddings.py DIR

Reads DIR/model.safetensors with the standard library (8-byte little-endian
header length, JSON header, raw float32), DIR/config.json and the token ids
and stored vectors in DIR/examples.jsonl. Covers the text-bow encoder with
any attribute inputs (the default recipe); docs/model_format.md describes
the forward pass. Prints the largest absolute difference; exit status 1
when it is above --tolerance (default 1e-4).
"""
import argparse
import json
import struct
import sys

import numpy as np

TEXT_FIELDS = ("title", "description")


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{name}: dtype {info['dtype']}, expected F32")
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[base + begin:base + end], dtype="<f4").reshape(info["shape"])
    return tensors


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def product_vector(t, config, token_ids, attribute_codes):
    run = config["run_config"]
    parts = []
    if any(f in run["inputs"] for f in TEXT_FIELDS):
        if run["encoder"] != "text-bow":
            raise SystemExit(f"encoder {run['encoder']}: this script covers text-bow only")
        # Mean of the token embeddings (no padding in a single product), then LayerNorm.
        mean = t["text.tokens.weight"][np.asarray(token_ids)].astype(np.float64).mean(0)
        parts.append(layer_norm(mean, t["text.norm.weight"], t["text.norm.bias"]))
    if "image" in run["inputs"]:
        raise SystemExit("runs with pictures are not covered by this script")
    if attribute_codes:
        rows = [t[f"attributes.tables.{k}.weight"][code] for k, code in enumerate(attribute_codes)]
        parts.append(layer_norm(np.mean(rows, 0), t["attributes.norm.weight"], t["attributes.norm.bias"]))
    fused = t["fusion.project.weight"] @ np.concatenate(parts) + t["fusion.project.bias"]
    return fused / max(np.linalg.norm(fused), 1e-8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    tensors = read_safetensors(f"{args.dir}/model.safetensors")
    with open(f"{args.dir}/config.json") as f:
        config = json.load(f)
    if config["run_config"].get("whiten"):
        raise SystemExit("the run whitens its stored vectors; this script compares unwhitened ones")
    worst, count = 0.0, 0
    with open(f"{args.dir}/examples.jsonl") as f:
        for line in f:
            example = json.loads(line)
            mine = product_vector(tensors, config, example["token_ids"], example["attribute_codes"])
            worst = max(worst, float(np.abs(mine - np.asarray(example["embedding"])).max()))
            count += 1
    if count == 0:
        raise SystemExit("examples.jsonl is empty: embed the run before exporting it")
    print(f"{count} products, {len(tensors)} tensors: largest difference {worst:.3g} (tolerance {args.tolerance:g})")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
