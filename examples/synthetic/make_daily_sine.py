#!/usr/bin/env python3
"""Writes daily_sine.csv: 5,000 readings 5 minutes apart of a daily sine (mean 50, amplitude 10) plus
Gaussian noise (sigma 0.8, seed 26). The noise floor of a one-step forecast is sigma * sqrt(2/pi) = 0.638
MAE; what a new user tries first on their own CSV (issue 26).

    python3 examples/synthetic/make_daily_sine.py > daily_sine.csv

With --anomalies (issue 29's first-contact check), 10 days (2,880 readings unless a count is given) with
three injected anomalies of 12 (15 sigma): a one-reading spike on day 5 at 10:00, a level shift of +12
for 2 hours (24 readings) on day 7 from 14:00, a one-reading dip on day 8 at 06:00. A scorer should
stay silent for the first 4 days and alert on all three.

    python3 examples/synthetic/make_daily_sine.py --anomalies > daily_sine_anomalies.csv
"""
import math
import random
import sys
from datetime import datetime, timedelta, timezone

args = [a for a in sys.argv[1:] if a != "--anomalies"]
anomalies = len(args) < len(sys.argv) - 1
rows = int(args[0]) if args else (2880 if anomalies else 5000)
rng = random.Random(26)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
per_day = 288
spike = 4 * per_day + 10 * 12  # day 5, 10:00
shift = range(6 * per_day + 14 * 12, 6 * per_day + 16 * 12)  # day 7, 14:00-16:00
dip = 7 * per_day + 6 * 12  # day 8, 06:00
out = sys.stdout
out.write("timestamp,value\n")
for i in range(rows):
    t = start + timedelta(minutes=5 * i)
    v = 50 + 10 * math.sin(2 * math.pi * i / 288) + rng.gauss(0, 0.8)
    if anomalies:
        if i == spike or i in shift:
            v += 12
        elif i == dip:
            v -= 12
    out.write(f"{t.strftime('%Y-%m-%d %H:%M:%S')},{v:.4f}\n")
