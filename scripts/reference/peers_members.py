"""The pandas peer of scripts/bench-members.mjs: the member list filtered and sorted.

On a CDNOW-layout log (scripts/make-cdnow.py) it builds the per-customer table once, untimed
(first and last purchase day, purchase days, spend; R and F quintile scores by rank, as SQL's
ntile), then times each query of the benchmark: the matching customers' count and spend and
the first 100 in the query's order, as the app's member list answers. Prints one JSON object:
{"versions": {...}, "customers": n, "queries": {name: {"ms": [..], "count": n, "spend": x}}}.

    python peers_members.py <file> <queries.json> [runs]
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def quintile(values):
    return pd.qcut(values.rank(method="first"), 5, labels=False) + 1


def member_table(path):
    log = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
    purchases = log[log["dollar_value"] >= 0]
    g = purchases.groupby("customer_id")
    t = pd.DataFrame({
        "first_day": g["date"].min(),
        "last_day": g["date"].max(),
        "purchase_days": g["date"].nunique(),
        "spend": g["dollar_value"].sum(),
    }).reset_index()
    t["r"] = quintile(t["last_day"])
    t["f"] = quintile(t["purchase_days"])
    return t


def mask_of(t, q):
    """The query's filter as a boolean mask (None: every customer)."""
    m = None
    def both(a, b):
        return b if a is None else a & b
    if "spend_min" in q:
        m = both(m, t["spend"] >= q["spend_min"])
    if "visits_min" in q:
        m = both(m, t["purchase_days"] >= q["visits_min"])
    if "id_contains" in q:
        m = both(m, t["customer_id"].str.contains(q["id_contains"], regex=False))
    if "last_from" in q:
        m = both(m, (t["last_day"] >= pd.Timestamp(q["last_from"])) & (t["last_day"] <= pd.Timestamp(q["last_to"])))
    if "r_in" in q:
        m = both(m, t["r"].isin(q["r_in"]))
    if "f_in" in q:
        m = both(m, t["f"].isin(q["f_in"]))
    return m


def run(t, q):
    m = mask_of(t, q)
    sel = t if m is None else t[m]
    count = len(sel)
    spend = float(sel["spend"].sum())
    column, descending = q["order"]
    first = sel.sort_values(column, ascending=not descending, kind="stable").head(100)
    return count, spend, first


def main():
    path, queries_path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    queries = json.load(open(queries_path, encoding="utf-8"))
    t = member_table(path)
    out = {"versions": {"pandas": pd.__version__, "numpy": np.__version__}, "customers": len(t), "queries": {}}
    for q in queries:
        ms = []
        for _ in range(runs + 1):  # the first run warms up and is not counted
            t0 = time.perf_counter()
            count, spend, first = run(t, q["pandas"])
            ms.append((time.perf_counter() - t0) * 1000)
        out["queries"][q["name"]] = {"ms": ms[1:], "count": count, "spend": spend, "first_id": str(first["customer_id"].iloc[0]) if len(first) else None}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
