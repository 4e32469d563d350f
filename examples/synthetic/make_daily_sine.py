#!/usr/bin/env python3
"""Writes daily_sine.csv: 5,000 readings 5 minutes apart of a daily sine (mean 50, amplitude 10) plus
Gaussian noise (sigma 0.8, seed 26). The noise floor of a one-step forecast is sigma * sqrt(2/pi) = 0.638
MAE; what a new user tries first on their own CSV (issue 26).

    python3 examples/synthetic/make_daily_sine.py > daily_sine.csv
"""
import math
import random
import sys
from datetime import datetime, timedelta, timezone

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
rng = random.Random(26)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
out = sys.stdout
out.write("timestamp,value\n")
for i in range(rows):
    t = start + timedelta(minutes=5 * i)
    v = 50 + 10 * math.sin(2 * math.pi * i / 288) + rng.gauss(0, 0.8)
    out.write(f"{t.strftime('%Y-%m-%d %H:%M:%S')},{v:.4f}\n")
