#!/usr/bin/env python3
"""Kill harness (issue 9, faults): SIGKILLs productlens-cli at random moments
of import, pretraining, resume, embedding and export, and after every kill
checks that nothing completed was lost and nothing was corrupted.

Usage: bench/kill_harness.py [--kills N] [--cli PATH] [--work DIR] [--seed S]
                             [--summary FILE.json]
(scripts/kill_harness.sh [KILLS] wraps it with nice and the default CLI.)

Checks after every kill (on the project the killed command wrote):
  - `sqlite3 P "PRAGMA integrity_check"` says ok; `productlens-cli info P --json`
    exits 0 and parses;
  - every checkpoint the project lists exists and its SHA-256 matches;
  - a run's newest checkpoint step never goes backwards, a finished run stays
    finished; a resumed run loads its newest checkpoint (resume exits 0, or
    is killed; failing only when the run had no checkpoint nor tokenizer yet);
  - an import is all or nothing (the products before, or before + all new);
  - a run's stored embeddings are none or all, and once all, stay all;
  - exported files under their final names are whole (npy size = header +
    rows x cols x 4 and rows = ids.txt lines; CSV with every row; the SQLite
    export passes integrity_check with every row; the model's safetensors,
    config.json and examples.jsonl parse); temp leftovers are counted.
Standard library only (python3, no numpy); needs the sqlite3 shell.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import time

COLOURS = ["red", "blue", "green", "black", "white", "grey", "navy", "beige"]
MATERIALS = ["cotton", "leather", "wool", "steel", "canvas", "linen"]
NOUNS = ["shirt", "boot", "scarf", "kettle", "backpack", "watch", "lamp", "mug"]
BRANDS = ["Acme", "Boreal", "Cobalt", "Dune", "Ember", "Fjord", "Gale", "Harbor"]
CATEGORIES = ["Apparel > Tops", "Footwear > Boots", "Apparel > Scarves", "Home > Kitchen",
              "Bags > Backpacks", "Accessories > Watches", "Home > Lighting", "Home > Kitchen > Mugs"]

TINY_RUN = ["--encoder", "text-bow", "--dim", "32", "--embedding-dim", "32", "--vocab", "300",
            "--max-length", "12", "--batch", "32", "--max-steps", "300", "--checkpoint-every", "10",
            "--threads", "1", "--quiet"]
MAX_STEPS = 300
NL = b"\n"

# Seconds after the start at which the kill lands (uniform); process start-up
# (LibTorch) takes ~1-2 s, so the ranges reach well into the work itself.
KILL_WINDOW = {"import": (0.1, 3.0), "pretrain": (0.3, 7.0), "resume": (0.3, 7.0),
               "embed": (0.2, 2.5), "export": (0.2, 2.5)}
EXPORT_TARGETS = {"npy": "npy", "csv": "export.csv", "sqlite": "export.db", "model": "model"}


def write_catalog(path, first_id, count, rng):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,title,brand,category,price\n")
        for i in range(first_id, first_id + count):
            k = rng.randrange(len(NOUNS))
            title = f"{rng.choice(COLOURS)} {rng.choice(MATERIALS)} {NOUNS[k]} {rng.randrange(1000)}"
            f.write(f'{i},{title},{BRANDS[k]},"{CATEGORIES[k]}",{5 + k * 10}\n')


class Harness:
    def __init__(self, args):
        self.cli = os.path.abspath(args.cli)
        self.work = os.path.abspath(args.work)
        self.rng = random.Random(args.seed)
        self.kills = {s: 0 for s in KILL_WINDOW}
        self.finished_first = {s: 0 for s in KILL_WINDOW}  # exited before the kill landed
        self.failures = []
        self.temp_leftovers = 0
        self.runs = {}  # name -> {"ckpt": newest checkpoint step seen, "finished": bool, "dead": bool}
        self.embedded = {}  # run -> True once all embeddings were seen
        self.export_runs = {}  # format -> run last exported whole
        self.run_counter = 0

    # --- helpers -------------------------------------------------------------
    def fail(self, stage, what):
        self.failures.append({"stage": stage, "what": what})
        print(f"FAIL [{stage}] {what}", flush=True)

    def cli_run(self, args, timeout=300):
        return subprocess.run([self.cli] + args, capture_output=True, text=True, timeout=timeout)

    def killed_run(self, stage, args):
        """Starts the CLI, SIGKILLs it after a random delay; returns (killed, proc, stderr)."""
        lo, hi = KILL_WINDOW[stage]
        delay = self.rng.uniform(lo, hi)
        proc = subprocess.Popen([self.cli] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        try:
            proc.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
        err = proc.stderr.read()
        proc.stderr.close()
        if killed:
            self.kills[stage] += 1
        else:
            self.finished_first[stage] += 1
        return killed, proc.returncode, err

    def query(self, project, sql, params=()):
        con = sqlite3.connect(project, timeout=30)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    # --- checks --------------------------------------------------------------
    def check_project(self, stage, project):
        """Integrity, opens with the CLI; returns False when it is broken."""
        ok = True
        r = subprocess.run(["sqlite3", project, "PRAGMA integrity_check"], capture_output=True, text=True)
        if r.returncode != 0 or r.stdout.strip() != "ok":
            self.fail(stage, f"integrity_check on {project}: {r.stdout.strip()} {r.stderr.strip()}")
            ok = False
        info = self.cli_run(["info", project, "--json"])
        if info.returncode != 0:
            self.fail(stage, f"info {project} exited {info.returncode}: {info.stderr.strip()}")
            return False
        try:
            json.loads(info.stdout)
        except ValueError as e:
            self.fail(stage, f"info {project} --json does not parse: {e}")
            ok = False
        return ok

    def check_runs(self, stage, project):
        rows = self.query(project, "SELECT id, name, status FROM runs")
        for run_id, name, status in rows:
            ckpts = self.query(project, "SELECT step, path, sha256 FROM checkpoints WHERE run_id = ?",
                               (run_id,))
            for step, stored, sha in ckpts:
                # Stored relative to the project's folder (schema 7).
                path = os.path.join(os.path.dirname(os.path.abspath(project)), stored)
                if not os.path.exists(path):
                    self.fail(stage, f"run {name}: checkpoint {path} (step {step}) is listed but missing")
                    continue
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                if digest != sha:
                    self.fail(stage, f"run {name}: checkpoint {path} (step {step}) SHA-256 does not match")
            newest = max((s for s, _, _ in ckpts), default=-1)
            seen = self.runs.setdefault(name, {"ckpt": -1, "finished": False, "dead": False})
            if newest < seen["ckpt"]:
                self.fail(stage, f"run {name}: newest checkpoint went back from step {seen['ckpt']} to {newest}")
            seen["ckpt"] = max(seen["ckpt"], newest)
            if seen["finished"] and status != "finished":
                self.fail(stage, f"run {name}: was finished, now '{status}'")
            if status == "finished":
                seen["finished"] = True
                if newest != MAX_STEPS:
                    self.fail(stage, f"run {name}: finished but its newest checkpoint is step {newest}")
            emb = self.query(project, "SELECT count(*) FROM embeddings WHERE run_id = ?", (run_id,))[0][0]
            if emb not in (0, self.products):
                self.fail(stage, f"run {name}: {emb} of {self.products} embeddings stored (partial)")
            if self.embedded.get(name) and emb != self.products:
                self.fail(stage, f"run {name}: its completed embeddings are gone ({emb} left)")
            if emb == self.products:
                self.embedded[name] = True

    def check_export(self, stage, fmt, target, run):
        if not os.path.exists(target):
            return
        for root, _, files in os.walk(target) if os.path.isdir(target) else [(None, None, [])]:
            self.temp_leftovers += sum(1 for f in files if f.endswith(".tmp"))
        if os.path.exists(target + ".tmp"):
            self.temp_leftovers += 1
        n = self.products
        try:
            if fmt == "npy":
                npy, ids = os.path.join(target, "embeddings.npy"), os.path.join(target, "ids.txt")
                rows = None
                if os.path.exists(npy):
                    with open(npy, "rb") as f:
                        data = f.read()
                    if data[:6] != b"\x93NUMPY":
                        raise ValueError("embeddings.npy has no npy magic")
                    hlen = struct.unpack("<H", data[8:10])[0]
                    header = data[10:10 + hlen].decode("latin1")
                    shape = header.split("'shape':")[1].split(")")[0].strip(" (")
                    rows, cols = (int(x) for x in shape.split(",") if x.strip())
                    if len(data) != 10 + hlen + rows * cols * 4:
                        raise ValueError(f"embeddings.npy is {len(data)} bytes for {rows}x{cols}")
                    if rows != n:
                        raise ValueError(f"embeddings.npy has {rows} rows, the catalog {n}")
                if os.path.exists(ids):
                    with open(ids, "rb") as f:
                        text = f.read()
                    if not text.endswith(NL) or text.count(NL) != n:
                        raise ValueError(f"ids.txt has {text.count(NL)} lines, expected {n}")
            elif fmt == "csv":
                with open(target, "rb") as f:
                    lines = f.read().split(b"\n")
                if lines[-1] != b"" or len(lines) - 2 != n:
                    raise ValueError(f"{target} has {len(lines) - 2} data rows, expected {n}")
                width = len(lines[0].split(b","))
                for k, line in enumerate(lines[1:-1]):
                    if len(line.split(b",")) != width:
                        raise ValueError(f"{target} line {k + 2} has a different field count")
            elif fmt == "sqlite":
                r = subprocess.run(["sqlite3", target, "PRAGMA integrity_check; SELECT count(*) FROM embeddings;"],
                                   capture_output=True, text=True)
                if r.returncode != 0 or r.stdout.split() != ["ok", str(n)]:
                    raise ValueError(f"{target}: {r.stdout.strip()} {r.stderr.strip()}")
            elif fmt == "model":
                st = os.path.join(target, "model.safetensors")
                if os.path.exists(st):
                    with open(st, "rb") as f:
                        data = f.read()
                    hlen = struct.unpack("<Q", data[:8])[0]
                    header = json.loads(data[8:8 + hlen])
                    end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
                    if 8 + hlen + end != len(data):
                        raise ValueError(f"model.safetensors is {len(data)} bytes, its header says {8 + hlen + end}")
                cfg = os.path.join(target, "config.json")
                if os.path.exists(cfg):
                    with open(cfg) as f:
                        json.load(f)
                ex = os.path.join(target, "examples.jsonl")
                if os.path.exists(ex):
                    with open(ex) as f:
                        for line in f:
                            json.loads(line)
                tok = os.path.join(target, "tokenizer.model")
                if os.path.exists(tok) and os.path.getsize(tok) == 0:
                    raise ValueError("tokenizer.model is empty")
        except (ValueError, IndexError, KeyError, struct.error) as e:
            self.fail(stage, f"export {fmt} of run {run}: {e}")

    # --- stages --------------------------------------------------------------
    def setup(self):
        os.makedirs(self.work, exist_ok=True)
        self.base = os.path.join(self.work, "base.plens")
        self.project = os.path.join(self.work, "p.plens")
        self.big = os.path.join(self.work, "big.csv")
        cat = os.path.join(self.work, "catalog.csv")
        write_catalog(cat, 0, 5000, self.rng)
        write_catalog(self.big, 100000, 150000, self.rng)
        r = self.cli_run(["import", self.base, cat, "--quiet"])
        if r.returncode != 0:
            sys.exit(f"cannot import the base catalog: {r.stderr}")
        shutil.copy(self.base, self.project)
        self.products = 5000
        self.exports = os.path.join(self.work, "exports")
        os.makedirs(self.exports, exist_ok=True)

    def live_runs(self):
        return [n for n, r in self.runs.items() if not r["finished"] and not r["dead"]]

    def pick_stage(self):
        with_ckpt = [n for n, r in self.runs.items() if r["ckpt"] >= 0]
        choices = ["import", "pretrain"]
        if self.live_runs():
            choices += ["resume"]
        if with_ckpt:
            choices += ["embed"]
        if any(self.embedded.values()):
            choices += ["export"]
        if len(self.live_runs()) >= 3 and "pretrain" in choices:
            choices.remove("pretrain")
        return self.rng.choice(choices)

    def stage_import(self):
        target = os.path.join(self.work, "import.plens")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
        shutil.copy(self.base, target)
        killed, rc, err = self.killed_run("import", ["import", target, self.big, "--quiet"])
        if not killed and rc != 0:
            self.fail("import", f"import exited {rc}: {err.strip()}")
        if self.check_project("import", target):
            count = self.query(target, "SELECT count(*) FROM products")[0][0]
            if count not in (5000, 155000):
                self.fail("import", f"partial import: {count} products")

    def stage_pretrain(self):
        self.run_counter += 1
        name = f"r{self.run_counter}"
        self.runs[name] = {"ckpt": -1, "finished": False, "dead": False}
        killed, rc, err = self.killed_run("pretrain", ["pretrain", self.project, "--run", name,
                                                       "--seed", str(self.run_counter)] + TINY_RUN)
        if not killed and rc != 0:
            self.fail("pretrain", f"pretrain {name} exited {rc}: {err.strip()}")

    def stage_resume(self):
        name = self.rng.choice(self.live_runs())
        killed, rc, err = self.killed_run("resume", ["pretrain", self.project, "--run", name, "--resume"] +
                                          TINY_RUN)
        if not killed and rc != 0:
            if self.runs[name]["ckpt"] < 0 and "tokenizer" in err:
                # Killed while its tokenizer was trained: nothing was completed.
                self.runs[name]["dead"] = True
            elif self.runs[name]["ckpt"] < 0 and "there is no run" in err:
                self.runs[name]["dead"] = True  # killed before the run was recorded
            else:
                self.fail("resume", f"resume {name} (checkpoint step {self.runs[name]['ckpt']}) exited {rc}: "
                                    f"{err.strip()}")

    def stage_embed(self):
        name = self.rng.choice([n for n, r in self.runs.items() if r["ckpt"] >= 0])
        killed, rc, err = self.killed_run("embed", ["embed", self.project, "--run", name, "--quiet"])
        if not killed and rc != 0:
            self.fail("embed", f"embed {name} exited {rc}: {err.strip()}")

    def stage_export(self):
        name = self.rng.choice([n for n, done in self.embedded.items() if done])
        fmt = self.rng.choice(sorted(EXPORT_TARGETS))
        target = os.path.join(self.exports, EXPORT_TARGETS[fmt])
        killed, rc, err = self.killed_run("export", ["export", self.project, "--run", name, "--format", fmt,
                                                     "--out", target, "--quiet"])
        if not killed and rc != 0:
            self.fail("export", f"export {fmt} of {name} exited {rc}: {err.strip()}")
        self.check_export("export", fmt, target, name)

    def run(self, kills):
        self.setup()
        start = time.time()
        cycles = 0
        while sum(self.kills.values()) < kills:
            stage = self.pick_stage()
            getattr(self, "stage_" + stage)()
            if stage != "import":
                if self.check_project(stage, self.project):
                    self.check_runs(stage, self.project)
            cycles += 1
            if cycles % 10 == 0:
                print(f"{sum(self.kills.values())} kills {self.kills}, {len(self.failures)} failures, "
                      f"{time.time() - start:.0f} s", flush=True)
        # Every unfinished run with a checkpoint must still resume to the end.
        for name in self.live_runs():
            if self.runs[name]["ckpt"] < 0:
                continue
            r = self.cli_run(["pretrain", self.project, "--run", name, "--resume"] + TINY_RUN)
            if r.returncode != 0:
                self.fail("final resume", f"{name}: {r.stderr.strip()}")
        if self.check_project("final", self.project):
            self.check_runs("final", self.project)
        return {"kills": sum(self.kills.values()), "kills_per_stage": self.kills,
                "exited_before_kill": self.finished_first, "cycles": cycles,
                "failures": len(self.failures), "failure_list": self.failures,
                "runs": len(self.runs), "finished_runs": sum(r["finished"] for r in self.runs.values()),
                "temp_leftovers_seen": self.temp_leftovers, "seconds": round(time.time() - start, 1),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--cli", default=os.path.join(here, "..", "build", "ci", "app", "productlens-cli"))
    p.add_argument("--work", default="/tmp/productlens-kill-harness")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--summary", default="")
    args = p.parse_args()
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    summary = Harness(args).run(args.kills)
    text = json.dumps(summary, indent=2)
    print(text)
    if args.summary:
        with open(args.summary, "w") as f:
            f.write(text + "\n")
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
