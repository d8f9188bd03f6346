"""The pandas + lifetimes peer of scripts/bench-summary.mjs: on a member summary made by
sql/member_summary.sql (one row per member), read + BG/NBD fit (BetaGeoFitter on x, t_x, T in
days) + P(alive) and expected purchases in 90 days for every member + Gamma-Gamma fit on the repeat
buyers and their expected mean spend + RFM quintile scores and a count per R×F×M cell: what the
dashboard does with the same file (it does more: segments, pyramid, lists).

    python peers_summary.py <summary.csv>     one JSON line

Imports happen before the clock starts.
"""
import json
import sys
import time

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter


def quintile(values):
    """Scores 1..5 by rank (ties broken by order, as SQL's ntile does)."""
    return pd.qcut(values.rank(method="first"), 5, labels=False) + 1


def main():
    path = sys.argv[1]
    t0 = time.perf_counter()
    s = pd.read_csv(path, usecols=["member_id", "last_purchase", "purchase_days", "net_spend", "x", "t_x", "T", "mean_repeat_spend"],
                    dtype={"member_id": str}, parse_dates=["last_purchase"])
    buyers = s[s["purchase_days"] > 0]
    t_read = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(buyers["x"], buyers["t_x"], buyers["T"])
    p_alive = bgf.conditional_probability_alive(buyers["x"], buyers["t_x"], buyers["T"])
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(90, buyers["x"], buyers["t_x"], buyers["T"])
    t_bgnbd = time.perf_counter()
    repeat = buyers[(buyers["x"] > 0) & (buyers["mean_repeat_spend"] > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0.0).fit(repeat["x"], repeat["mean_repeat_spend"])
    spend = ggf.conditional_expected_average_profit(repeat["x"], repeat["mean_repeat_spend"])
    t_gg = time.perf_counter()
    rfm = pd.DataFrame({"r": quintile(buyers["last_purchase"]), "f": quintile(buyers["purchase_days"]), "m": quintile(buyers["net_spend"])})
    cells = rfm.groupby(["r", "f", "m"]).size()
    t_rfm = time.perf_counter()
    print(json.dumps({
        "members": int(len(s)),
        "buyers": int(len(buyers)),
        "rfm_cells": int(len(cells)),
        "mean_p_alive": float(np.mean(p_alive)),
        "mean_expected": float(np.mean(expected)),
        "mean_spend": float(np.mean(spend)),
        "params": {k: float(v) for k, v in bgf.params_.items()},
        "gg_params": {k: float(v) for k, v in ggf.params_.items()},
        "versions": {"pandas": pd.__version__, "numpy": np.__version__, "lifetimes": lifetimes.__version__},
        "ms": {
            "read": (t_read - t0) * 1e3,
            "bgnbd": (t_bgnbd - t_read) * 1e3,
            "gamma_gamma": (t_gg - t_bgnbd) * 1e3,
            "rfm": (t_rfm - t_gg) * 1e3,
            "total": (t_rfm - t0) * 1e3,
        },
    }), flush=True)


if __name__ == "__main__":
    main()
