"""The BG/NBD fit in Python's `lifetimes`, on the same data as this engine's benchmarks: the CDNOW
summary (tests/data/cdnow_customers_summary.csv, weeks) copied 1, 15 and 150 times, and the full
CDNOW log summarised in days as of 1998-07-01 (as the page does), copied 1 and 15 times.

    /tmp/ltenv/bin/python scripts/reference/bench_lifetimes.py
"""
import pathlib
import time

import pandas as pd
from lifetimes import BetaGeoFitter
from lifetimes.utils import summary_data_from_transaction_data

root = pathlib.Path(__file__).resolve().parents[2]


def timed_fit(label, summary, copies):
    data = pd.concat([summary] * copies, ignore_index=True)
    t = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(data["frequency"], data["recency"], data["T"])
    dt = time.perf_counter() - t
    p = bgf.params_
    print(f"{label} {len(data):>8} customers: {dt * 1e3:9.1f} ms; r {p['r']:.4f} α {p['alpha']:.4f} a {p['a']:.4f} b {p['b']:.4f}")


base = pd.read_csv(root / "tests/data/cdnow_customers_summary.csv")
for copies in (1, 15, 150):
    timed_fit("lifetimes", base, copies)

log = pd.read_csv(root / "tests/data/CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str})
log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
days = summary_data_from_transaction_data(log, "customer_id", "date", observation_period_end="1998-07-01", freq="D")
for copies in (1, 15):
    timed_fit("lifetimes log", days, copies)
