#!/usr/bin/env python3
"""Summarises a Chrome trace from `productlens-cli bench pretrain --trace FILE`:
self time per operator (time in the op minus time in the ops it called),
per step, largest first. Usage: trace_summary.py TRACE.json STEPS [TOP]"""
import collections
import json
import sys


def main():
    path, steps = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    events = [e for e in json.load(open(path)) if e.get("ph") == "X"]
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[(e["pid"], e["tid"])].append(e)
    self_us = collections.Counter()
    calls = collections.Counter()
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # [end, name, child time]
        def close(frame):
            self_us[frame[1]] += frame[3] - frame[2]
        for e in evs:
            start, dur = e["ts"], e["dur"]
            while stack and stack[-1][0] <= start:
                close(stack.pop())
            if stack:
                stack[-1][2] += dur
            stack.append([start + dur, e["name"], 0.0, dur])
            calls[e["name"]] += 1
        while stack:
            close(stack.pop())
    total = sum(self_us.values())
    print(f"{'operator':44s} {'ms/step':>8s} {'share':>6s} {'calls/step':>10s}")
    for name, us in self_us.most_common(top):
        print(f"{name[:44]:44s} {us / 1000 / steps:8.1f} {100 * us / total:5.1f}% "
              f"{calls[name] / steps:10.1f}")
    print(f"{'total (self times)':44s} {total / 1000 / steps:8.1f}")


if __name__ == "__main__":
    main()
