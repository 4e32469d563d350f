#!/usr/bin/env python3
"""Writes daily_sine.csv: 5,000 readings 5 minutes apart of a daily sine (mean 50, amplitude 10) plus
Gaussian noise (sigma 0.8, seed 26). The noise floor of a one-step forecast is sigma * sqrt(2/pi) = 0.638
MAE; what a new user tries first on their own CSV (issue 26).

    python3 examples/synthetic/make_daily_sine.py > daily_sine.csv

With --step MINUTES, the readings are that many minutes apart (the sine still has a period of one day).

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

args = sys.argv[1:]
step = 5
if "--step" in args:
    at = args.index("--step")
    step = int(args[at + 1])
    del args[at : at + 2]
anomalies = "--anomalies" in args
args = [a for a in args if a != "--anomalies"]
rows = int(args[0]) if args else (2880 if anomalies else 5000)
rng = random.Random(26)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
per_day = 1440 // step
per_hour = 60 // step if step <= 60 else 1
spike = 4 * per_day + 10 * per_hour  # day 5, 10:00
shift = range(6 * per_day + 14 * per_hour, 6 * per_day + 16 * per_hour)  # day 7, 14:00-16:00
dip = 7 * per_day + 6 * per_hour  # day 8, 06:00
out = sys.stdout
out.write("timestamp,value\n")
for i in range(rows):
    t = start + timedelta(minutes=step * i)
    v = 50 + 10 * math.sin(2 * math.pi * i / per_day) + rng.gauss(0, 0.8)
    if anomalies:
        if i == spike or i in shift:
            v += 12
        elif i == dip:
            v -= 12
    out.write(f"{t.strftime('%Y-%m-%d %H:%M:%S')},{v:.4f}\n")
