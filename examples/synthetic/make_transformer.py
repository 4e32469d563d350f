"""Writes transformer.csv: a synthetic series in the ETT layout (date, six load columns, oil temperature OT),
hourly, 2,000 rows, seeded. Not real data: it stands in for ETTh1, whose licence (CC BY-ND 4.0) allows sharing
only the whole, unchanged file. Run: python3 make_transformer.py > transformer.csv"""
import math
import random
from datetime import datetime, timedelta

rng = random.Random(7)
start = datetime(2026, 1, 1)
print("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT")
ot = 30.0
for i in range(2000):
    t = start + timedelta(hours=i)
    day = 2 * math.pi * (i % 24) / 24
    week = 2 * math.pi * (i % 168) / 168
    load = 1.0 + 0.35 * math.sin(day - 1.2) + 0.1 * math.sin(week)
    hufl = 6.0 * load + rng.gauss(0, 0.3)
    hull = 2.0 * load + rng.gauss(0, 0.15)
    mufl = 1.6 * load + rng.gauss(0, 0.1)
    mull = 0.45 * load + rng.gauss(0, 0.05)
    lufl = 4.2 * load + rng.gauss(0, 0.2)
    lull = 1.35 * load + rng.gauss(0, 0.08)
    # Oil temperature follows the load with a lag, plus a slow seasonal drift.
    target = 22.0 + 6.0 * load + 3.0 * math.sin(2 * math.pi * i / 2000)
    ot += 0.2 * (target - ot) + rng.gauss(0, 0.3)
    print(f"{t:%Y-%m-%d %H:%M:%S},{hufl:.3f},{hull:.3f},{mufl:.3f},{mull:.3f},{lufl:.3f},{lull:.3f},{ot:.3f}")
