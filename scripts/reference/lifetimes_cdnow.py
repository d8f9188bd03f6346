"""Reference values for the BG/NBD tests, computed by Python's `lifetimes` itself.

Reads the CDNOW transaction log (tests/data/CDNOW_master.txt), summarises it per customer in
days as of 1998-07-01 (the day after the last transaction), fits BetaGeoFitter and GammaGammaFitter
(on repeat buyers) and writes the parameters and, for every 50th customer, P(alive), the
expected purchases in the next 90 days and the expected spend per purchase to
tests/data/lifetimes_cdnow_reference.json.

    python3 -m venv /tmp/ltenv && /tmp/ltenv/bin/pip install lifetimes==0.11.3
    /tmp/ltenv/bin/python scripts/reference/lifetimes_cdnow.py
"""
import json
import pathlib

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data
import lifetimes

root = pathlib.Path(__file__).resolve().parents[2]
log = pd.read_csv(root / "tests/data/CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str})
log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
summary = summary_data_from_transaction_data(
    log, "customer_id", "date", monetary_value_col="dollar_value", observation_period_end="1998-07-01", freq="D"
)
bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(summary["frequency"], summary["recency"], summary["T"])
p = bgf.params_
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(repeat["frequency"], repeat["monetary_value"])
g = ggf.params_
sample = summary.iloc[::50]
spend = ggf.conditional_expected_average_profit(sample["frequency"], sample["monetary_value"])
out = {
    "made_by": f"lifetimes {lifetimes.__version__}, scripts/reference/lifetimes_cdnow.py",
    "observation_period_end": "1998-07-01",
    "unit": "days",
    "customers": int(len(summary)),
    "params": {"r": p["r"], "alpha": p["alpha"], "a": p["a"], "b": p["b"]},
    "gamma_gamma": {"p": g["p"], "q": g["q"], "v": g["v"], "customers": int(len(repeat))},
    "sample": [
        {
            "customer_id": cid,
            "x": float(row["frequency"]),
            "t_x": float(row["recency"]),
            "T": float(row["T"]),
            "p_alive": float(pa),
            "expected_90": float(e90),
            "monetary_value": float(row["monetary_value"]),
            "expected_spend": float(sp),
        }
        for (cid, row), pa, e90, sp in zip(
            sample.iterrows(),
            bgf.conditional_probability_alive(sample["frequency"], sample["recency"], sample["T"]),
            bgf.conditional_expected_number_of_purchases_up_to_time(90, sample["frequency"], sample["recency"], sample["T"]),
            spend,
        )
    ],
}
(root / "tests/data/lifetimes_cdnow_reference.json").write_text(json.dumps(out, indent=1))
print(out["params"], len(out["sample"]))
