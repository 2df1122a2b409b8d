#!/usr/bin/env python3
"""Peer for `productlens-cli bench pretrain`: the same MLM training step in
PyTorch eager (Debian's python3-torch), written the way a straightforward
PyTorch implementation would be.

Model, identical in shape and parameter count to ProductLens' text-transformer:
  token embedding (padding_idx 0) + learned position embedding, dropout;
  nn.TransformerEncoder of nn.TransformerEncoderLayer(norm_first=True,
  activation="gelu", dim_feedforward=4*dim, batch_first=True) with a final
  LayerNorm (pre-LN); MLM head dense -> GELU -> LayerNorm -> logits through
  the tied token embedding matrix + bias; AdamW (lr 1e-4, weight decay 0.01).

As a straightforward implementation does, the head and the tied vocabulary
projection are computed over ALL B*T positions, and cross-entropy ignores the
unmasked ones (labels -100). ProductLens computes them at the masked
positions only; that is one of the differences the comparison measures.

Data: random ordinary token ids (5..V-1), no padding (so no key padding mask
is passed, as ProductLens also skips it); each position is masked with
probability R and replaced by [MASK] (id 4).

tokens/s counts all B*S input tokens of a step, as ProductLens does.
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID, MASK_ID, FIRST_ORDINARY_ID = 0, 4, 5


class MlmModel(nn.Module):
    def __init__(self, vocab, dim, layers, heads, seq, dropout):
        super().__init__()
        self.tokens = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        self.positions = nn.Embedding(seq, dim)
        nn.init.normal_(self.tokens.weight, std=0.02)
        nn.init.normal_(self.positions.weight, std=0.02)
        with torch.no_grad():
            self.tokens.weight[PAD_ID].zero_()
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(dim),
                                             enable_nested_tensor=False)
        self.head_dense = nn.Linear(dim, dim)
        self.head_norm = nn.LayerNorm(dim)
        self.head_bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, ids, padding):
        positions = torch.arange(ids.size(1), device=ids.device)
        x = self.dropout(self.tokens(ids) + self.positions(positions))
        x = self.encoder(x, src_key_padding_mask=padding)
        h = self.head_norm(F.gelu(self.head_dense(x)))
        return h @ self.tokens.weight.t() + self.head_bias  # [B, T, V]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--encoder", default="text-transformer", choices=["text-transformer"])
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--seq", type=int, default=32)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--vocab", type=int, default=8000)
    p.add_argument("--mask-rate", type=float, default=0.15)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()

    # Debian's build starts with one intra-op thread, like our LibTorch.
    torch.set_num_threads(a.threads if a.threads > 0 else os.cpu_count())
    torch.manual_seed(a.seed)
    model = MlmModel(a.vocab, a.dim, a.layers, a.heads, a.seq, a.dropout)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)

    first_loss = last_loss = 0.0
    masked = 0
    start = time.perf_counter()
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            start = time.perf_counter()
        ids = torch.randint(FIRST_ORDINARY_ID, a.vocab, (a.batch, a.seq))
        chosen = torch.rand(a.batch, a.seq) < a.mask_rate
        inputs = ids.masked_fill(chosen, MASK_ID)
        labels = ids.masked_fill(~chosen, -100)
        padding = inputs.eq(PAD_ID)
        logits = model(inputs, padding if padding.any() else None)
        loss = F.cross_entropy(logits.view(-1, a.vocab), labels.view(-1), ignore_index=-100)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        value = loss.item()
        if step == 0:
            first_loss = value
        last_loss = value
        if step >= a.warmup:
            masked += int(chosen.sum())
    seconds = time.perf_counter() - start

    r = {
        "impl": "pytorch-eager-peer",
        "encoder": a.encoder, "layers": a.layers, "dim": a.dim, "heads": a.heads,
        "seq": a.seq, "batch": a.batch, "vocab": a.vocab, "mask_rate": a.mask_rate,
        "threads": torch.get_num_threads(), "steps": a.steps,
        "parameters": sum(p.numel() for p in model.parameters()),
        "seconds": seconds, "ms_per_step": 1000 * seconds / a.steps,
        "tokens_per_s": a.batch * a.seq * a.steps / seconds,
        "products_per_s": a.batch * a.steps / seconds,
        "masked_per_step": masked / a.steps,
        "first_loss": first_loss, "last_loss": last_loss,
        "runtime": f"PyTorch {torch.__version__}",
    }
    if a.json:
        print(json.dumps(r, indent=2))
        return
    print(f"peer_mlm.py (PyTorch {torch.__version__} eager): layers {a.layers}, dim {a.dim}, "
          f"heads {a.heads}, seq {a.seq}, batch {a.batch}, vocab {a.vocab}, "
          f"mask rate {a.mask_rate:.2f}")
    print(f"threads {r['threads']}, {r['parameters']} parameters, {a.steps} timed steps after "
          f"{a.warmup} warm-up")
    print(f"{r['tokens_per_s']:.0f} tokens/s  {r['ms_per_step']:.1f} ms/step  "
          f"{r['products_per_s']:.0f} products/s  (loss {first_loss:.3f} -> {last_loss:.3f})")


if __name__ == "__main__":
    main()
