#!/usr/bin/env python3
"""Served one-step MAE per series of a backfill output folder (scores.jsonl: actual against the served
expected value) next to repeat-last's on the same readings, skipping each series' first SKIP scores
(default 200). The last line is the worst ratio of served to repeat-last.

    python3 examples/synthetic/one_step_mae.py out/sine [SKIP]
"""
import collections
import json
import os
import sys

folder = sys.argv[1]
skip = int(sys.argv[2]) if len(sys.argv) > 2 else 200
by_series = collections.defaultdict(list)
with open(os.path.join(folder, "scores.jsonl")) as f:
    for line in f:
        r = json.loads(line)
        by_series[r["series"]].append((r["actual"], r["expected"]))
worst = 0.0
for series in sorted(by_series):
    rows = by_series[series]
    served = last = 0.0
    n = 0
    for i in range(max(1, skip), len(rows)):
        served += abs(rows[i][0] - rows[i][1])
        last += abs(rows[i][0] - rows[i - 1][0])
        n += 1
    if n == 0:
        continue
    ratio = served / last if last > 0 else (1.0 if served < 1e-6 * n else float("inf"))
    worst = max(worst, ratio)
    print(f"{series:40s} n={n:6d} served MAE={served / n:.4f} repeat-last MAE={last / n:.4f} ratio={ratio:.3f}")
print(f"worst ratio {worst:.3f}")
