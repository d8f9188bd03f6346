"""The BG/NBD fit in Python's `lifetimes`, on the same data as examples/bench_bgnbd.rs: the CDNOW
summary (tests/data/cdnow_customers_summary.csv) copied 1, 15 and 150 times. Prints seconds.

    /tmp/ltenv/bin/python scripts/reference/bench_lifetimes.py
"""
import pathlib
import time

import pandas as pd
from lifetimes import BetaGeoFitter

root = pathlib.Path(__file__).resolve().parents[2]
base = pd.read_csv(root / "tests/data/cdnow_customers_summary.csv")
for copies in (1, 15, 150):
    data = pd.concat([base] * copies, ignore_index=True)
    t = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(data["frequency"], data["recency"], data["T"])
    dt = time.perf_counter() - t
    p = bgf.params_
    print(f"lifetimes {len(data):>8} customers: {dt * 1e3:9.1f} ms; r {p['r']:.4f} α {p['alpha']:.4f} a {p['a']:.4f} b {p['b']:.4f}")
