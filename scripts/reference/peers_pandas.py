"""The pandas + lifetimes peer of scripts/bench-peers.mjs: on a CDNOW-layout log (made by
scripts/make-cdnow.py), read + per-customer summary (lifetimes' summary_data_from_transaction_data,
in days, as of the log's last day, with the spend) + BG/NBD fit (BetaGeoFitter) + P(alive) for
every customer + RFM quintile scores and a count per R×F×M cell. Each run starts from the file.

    python peers_pandas.py <file> [runs]   one JSON line per run, then the best
    python peers_pandas.py <file> --stdin   one run per "run" line on stdin (the benchmark
                                            interleaves these runs with the browser's)

The imports happen before any run (they are not timed), so the first run is not a cold start of
the interpreter; every run still reads the file and recomputes everything.
"""
import json
import sys
import time

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter
from lifetimes.utils import summary_data_from_transaction_data


def quintile(values):
    """Scores 1..5 by rank (ties broken by order, as SQL's ntile does)."""
    return pd.qcut(values.rank(method="first"), 5, labels=False) + 1


def one_run(path):
    t0 = time.perf_counter()
    log = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
    purchases = log[log["dollar_value"] >= 0]
    end = purchases["date"].max()
    t_read = time.perf_counter()

    summary = summary_data_from_transaction_data(
        purchases, "customer_id", "date", monetary_value_col="dollar_value", observation_period_end=end, freq="D"
    )
    t_summary = time.perf_counter()

    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
    p_alive = bgf.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
    t_model = time.perf_counter()

    # RFM on the spend of every purchase (lifetimes' monetary_value is the mean of repeat ones).
    per_customer = purchases.groupby("customer_id").agg(last=("date", "max"), days=("date", "nunique"), spend=("dollar_value", "sum"))
    rfm = pd.DataFrame({
        "r": quintile(per_customer["last"]),
        "f": quintile(per_customer["days"]),
        "m": quintile(per_customer["spend"]),
    })
    cells = rfm.groupby(["r", "f", "m"]).size()
    t_rfm = time.perf_counter()

    return {
        "rows": int(len(log)),
        "customers": int(len(summary)),
        "rfm_cells": int(len(cells)),
        "rfm_customers": int(cells.sum()),
        "mean_p_alive": float(np.mean(p_alive)),
        "params": {k: float(v) for k, v in bgf.params_.items()},
        "ms": {
            "read": (t_read - t0) * 1e3,
            "summary": (t_summary - t_read) * 1e3,
            "bgnbd_fit_and_p_alive": (t_model - t_summary) * 1e3,
            "rfm": (t_rfm - t_model) * 1e3,
            "total": (t_rfm - t0) * 1e3,
        },
    }


def versions():
    return {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__, "lifetimes": lifetimes.__version__}


def main():
    path = sys.argv[1]
    print(json.dumps({"ready": True, "versions": versions()}), flush=True)
    if len(sys.argv) > 2 and sys.argv[2] == "--stdin":
        for line in sys.stdin:
            if line.strip() == "run":
                print(json.dumps(one_run(path)), flush=True)
        return
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    results = [one_run(path) for _ in range(runs)]
    for r in results:
        print(json.dumps(r), flush=True)
    best = min(r["ms"]["total"] for r in results)
    print(f"best of {runs}: {best:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
