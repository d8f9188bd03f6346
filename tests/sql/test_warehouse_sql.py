"""The warehouse SQL (sql/member_summary.sql, sql/monthly_aggregates.sql) on DuckDB and on Spark
(local[2]) against the engine's own figures (crates/engine/examples/warehouse_reference.rs), over
the CDNOW log and a generated export (gen_export.py). The engine reads the raw file; the
warehouses read the same rows under the contract's column names.

Run with the venv's python: .tools/test-venv/bin/python tests/sql/test_warehouse_sql.py
Prints one line per check and ends with `warehouse sql: N passed, M failed` (exit 1 on failure).
"""

import csv
import math
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(__file__))
import gen_export  # noqa: E402

CONTRACT_COLUMNS = ["member_id", "tx_time", "paid", "amount", "discount", "category", "store", "order_no", "kind"]
INT_COLUMNS = {"purchase_days", "orders", "orders_12m", "orders_6m", "longest_gap_days", "recency_days", "tenure_days", "x", "t_x", "T"}
MONEY_COLUMNS = {"gross_spend", "net_spend", "promo_spend", "spend_12m", "first_day_spend", "avg_ticket", "max_ticket"}
MEAN_COLUMNS = {"mean_gap_days", "promo_share", "mean_repeat_spend"}
TEXT_COLUMNS = {"member_id", "analysis_date", "first_purchase", "last_purchase"}
SUMMARY_COLUMNS = ["member_id", "analysis_date", "first_purchase", "last_purchase", "purchase_days", "orders", "orders_12m",
                   "orders_6m", "gross_spend", "net_spend", "promo_spend", "spend_12m", "first_day_spend", "longest_gap_days",
                   "avg_ticket", "max_ticket", "recency_days", "tenure_days", "mean_gap_days", "promo_share", "x", "t_x", "T",
                   "mean_repeat_spend"]
# The engine keeps the last 36 cohorts.
ENGINE_COHORTS = 36

results = {"passed": 0, "failed": 0}


def check(name, differences):
    if differences:
        results["failed"] += 1
        print(f"not ok - {name}: {len(differences)} differences; first 10:")
        for d in differences[:10]:
            print(f"    {d}")
    else:
        results["passed"] += 1
        print(f"ok - {name}")


# --- inputs: the raw file for the engine and the same rows in the contract's shape -------------

def cdnow_rows(path):
    """The CDNOW log (whitespace-separated: id, yyyymmdd, number of CDs, dollars) as contract rows."""
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cells = line.split()
            if not cells:
                continue
            ident, ymd, _, dollars = cells
            rows.append({"member_id": ident, "tx_time": f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:]} 00:00:00", "amount": dollars})
    return rows


def export_rows(path):
    """A generated export's rows under the contract's names (cells as written, spaces kept)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        names = [gen_export.CONTRACT[h] for h in header]
        return [dict(zip(names, r)) for r in reader]


def write_contract_csv(rows, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(CONTRACT_COLUMNS)
        for r in rows:
            w.writerow([r.get(c, "") for c in CONTRACT_COLUMNS])


# --- the engine ----------------------------------------------------------------------------------

def run_engine(raw, analysis_date, sleeping_days, out_dir):
    summary, monthly = os.path.join(out_dir, "engine_summary.csv"), os.path.join(out_dir, "engine_monthly.csv")
    subprocess.run(["cargo", "run", "-q", "-p", "member-engine", "--example", "warehouse_reference", "--", raw,
                    "--analysis-date", analysis_date, "--sleeping-days", str(sleeping_days), "--summary", summary,
                    "--monthly", monthly], cwd=ROOT, check=True)
    with open(summary, encoding="utf-8", newline="") as f:
        engine_summary = list(csv.DictReader(f))
    with open(monthly, encoding="utf-8", newline="") as f:
        engine_monthly = list(csv.DictReader(f))
    return engine_summary, engine_monthly


# --- the warehouses ------------------------------------------------------------------------------

def sql_text(name):
    with open(os.path.join(ROOT, "sql", name), encoding="utf-8") as f:
        return f.read()


# The views the two queries read, made in this order after `transactions` and `params`.
SETUP_SQL = ("analysis_day.sql", "orders.sql")

PARAMS_VIEW = ("CREATE OR REPLACE TEMPORARY VIEW params AS SELECT CAST('{d}' AS DATE) AS analysis_date, "
               "CAST({s} AS INT) AS sleeping_days, CAST({k} AS BOOLEAN) AS kind_is_status")


class DuckDb:
    name = "DuckDB"

    def __init__(self):
        import duckdb
        self.con = duckdb.connect()

    def load(self, csv_path, analysis_date, sleeping_days, kind_is_status):
        self.con.execute(f"""CREATE OR REPLACE TABLE transactions AS SELECT * FROM read_csv('{csv_path}', header = true,
            columns = {{'member_id': 'VARCHAR', 'tx_time': 'TIMESTAMP', 'paid': 'DECIMAL(18,2)', 'amount': 'DECIMAL(18,2)',
            'discount': 'DECIMAL(18,2)', 'category': 'VARCHAR', 'store': 'VARCHAR', 'order_no': 'VARCHAR', 'kind': 'VARCHAR'}})""")
        self.con.execute(PARAMS_VIEW.format(d=analysis_date, s=sleeping_days, k=str(kind_is_status).upper()))
        for name in SETUP_SQL:
            self.con.execute(sql_text(name))

    def query(self, text):
        cur = self.con.execute(text)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


class Spark:
    name = "Spark"

    def __init__(self):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("warehouse-sql-test")
                      .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                      # Adaptive execution re-plans each of the many small stages: twice as slow here.
                      .config("spark.sql.adaptive.enabled", "false")
                      .config("spark.sql.session.timeZone", "UTC").config("spark.ui.showConsoleProgress", "false")
                      .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def load(self, csv_path, analysis_date, sleeping_days, kind_is_status):
        schema = ("member_id STRING, tx_time TIMESTAMP, paid DECIMAL(18,2), amount DECIMAL(18,2), discount DECIMAL(18,2), "
                  "category STRING, store STRING, order_no STRING, kind STRING")
        df = (self.spark.read.option("header", "true").option("ignoreLeadingWhiteSpace", "false")
              .option("ignoreTrailingWhiteSpace", "false").option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
              .schema(schema).csv(csv_path))
        # Read once: the queries use the table many times (Spark inlines a CTE at each use).
        df = df.cache()
        df.count()
        df.createOrReplaceTempView("transactions")
        self.spark.sql(PARAMS_VIEW.format(d=analysis_date, s=sleeping_days, k=str(kind_is_status).upper()))
        for name in SETUP_SQL:
            self.spark.sql(sql_text(name))

    def query(self, text):
        return [r.asDict() for r in self.spark.sql(text).collect()]

    def stop(self):
        self.spark.stop()


# --- comparing -----------------------------------------------------------------------------------

def engine_value(column, cell):
    if cell == "":
        return None
    if column in INT_COLUMNS:
        return int(cell)
    if column in MONEY_COLUMNS:
        return Decimal(cell)
    if column in MEAN_COLUMNS:
        return float(cell)
    return cell


def same(column, a, b):
    if a is None or b is None:
        return a is None and b is None
    if column in MONEY_COLUMNS:
        return Decimal(a).quantize(Decimal("0.01")) == Decimal(b).quantize(Decimal("0.01")) and abs(Decimal(a) - Decimal(b)) < Decimal("0.005")
    if column in MEAN_COLUMNS:
        return math.isfinite(float(b)) and abs(float(a) - float(b)) <= 1e-9
    if column in INT_COLUMNS:
        return int(a) == int(b) and float(b) == int(b)
    return str(a) == str(b)


def compare_summary(engine_rows, sql_rows):
    diffs = []
    engine = {r["member_id"]: r for r in engine_rows}
    warehouse = {r["member_id"]: r for r in sql_rows}
    if len(warehouse) != len(sql_rows):
        diffs.append(f"{len(sql_rows) - len(warehouse)} member ids repeated in the SQL result")
    for m in sorted(set(engine) - set(warehouse))[:10]:
        diffs.append(f"member {m}: in the engine's summary, not in the SQL's")
    for m in sorted(set(warehouse) - set(engine))[:10]:
        diffs.append(f"member {m}: in the SQL's summary, not in the engine's")
    missing = [c for c in SUMMARY_COLUMNS if sql_rows and c not in sql_rows[0]]
    if missing:
        diffs.append(f"SQL result lacks columns {missing}")
        return diffs
    if sql_rows and list(sql_rows[0].keys()) != SUMMARY_COLUMNS:
        diffs.append(f"SQL columns in another order: {list(sql_rows[0].keys())}")
    for m in sorted(set(engine) & set(warehouse)):
        for c in SUMMARY_COLUMNS:
            want, got = engine_value(c, engine[m][c]), warehouse[m][c]
            if not same(c, want, got):
                diffs.append(f"member {m} {c}: engine {want!r}, SQL {got!r}")
    return diffs


def monthly_key(r):
    def text(v):
        return "" if v is None else str(v)
    return (r["measure"], text(r["month"]), text(r["month_offset"]), text(r["visits"]))


def compare_monthly(engine_rows, sql_rows):
    diffs = []
    engine = {monthly_key(r): Decimal(r["measure_value"]) for r in engine_rows}
    warehouse = {}
    for r in sql_rows:
        k = monthly_key(r)
        if k in warehouse:
            diffs.append(f"row {k} repeated in the SQL result")
        warehouse[k] = Decimal(r["measure_value"])
    # The engine counts the cohorts of the last 36 months of its churn series only; the SQL has
    # every cohort, and a cohort month's zero offsets are no rows.
    churn_months = sorted(k[1] for k in engine if k[0] == "active_at_start")
    kept = set(churn_months[-ENGINE_COHORTS:])
    cohort = ("cohort_members", "cohort_active")
    for k in sorted(set(engine) | set(warehouse)):
        if k[0] in cohort and k[1] not in kept:
            continue
        want, got = engine.get(k), warehouse.get(k)
        if k[0] == "cohort_active":
            want, got = want or Decimal(0), got or Decimal(0)
        if want is None or got is None or want != got:
            diffs.append(f"{k}: engine {want}, SQL {got}")
    measures = {k[0] for k in warehouse}
    expected = {"sleeping_days", "active_at_start", "turned_sleeping", "revenue", "active_members", "cohort_members", "cohort_active",
                "first_year_members", "second_year_renewed", "revenue_12m", "orders_12m", "gross_12m", "walk_in_revenue_12m"}
    if measures != expected:
        diffs.append(f"measures {sorted(measures)} instead of {sorted(expected)}")
    return diffs


def nonzero(engine_monthly, measure):
    return sum(Decimal(r["measure_value"]) for r in engine_monthly if r["measure"] == measure)


def main():
    started = time.time()
    work = tempfile.mkdtemp(prefix="warehouse-sql-")
    export = os.path.join(work, "export.csv")
    gen_export.generate(export)
    cases = [
        # name, raw file, contract rows, D, sleeping days, whether the type column is a status
        ("CDNOW", os.path.join(ROOT, "tests", "data", "CDNOW_master.txt"), None, "1998-06-30", 365, False),
        ("generated export", export, None, "2024-03-31", 180, True),
    ]
    summary_sql, monthly_sql = sql_text("member_summary.sql"), sql_text("monthly_aggregates.sql")
    databases = [DuckDb()]
    t = time.time()
    databases.append(Spark())
    print(f"# Spark session started in {time.time() - t:.1f} s")
    for name, raw, _, day, sleeping, is_status in cases:
        rows = cdnow_rows(raw) if name == "CDNOW" else export_rows(raw)
        contract_csv = os.path.join(work, f"{name.replace(' ', '_')}_transactions.csv")
        write_contract_csv(rows, contract_csv)
        engine_summary, engine_monthly = run_engine(raw, day, sleeping, work)
        print(f"# {name}: {len(rows)} rows, {len(engine_summary)} members in the engine's summary, {len(engine_monthly)} monthly rows")
        # The data must exercise what it is meant to: figures that are not all zero.
        # (CDNOW's 18 months hold no second year.)
        second_year = name == "CDNOW" or nonzero(engine_monthly, "second_year_renewed") > 0
        check(f"{name}: the engine's figures are not empty (members, cohorts, members turning sleeping, second-year renewals)",
              [] if engine_summary and nonzero(engine_monthly, "turned_sleeping") > 0 and nonzero(engine_monthly, "cohort_active") > 0 and second_year
              else ["the reference has nothing to compare"])
        if name != "CDNOW":
            walk_in = next(Decimal(r["measure_value"]) for r in engine_monthly if r["measure"] == "walk_in_revenue_12m")
            promo = sum(Decimal(r["promo_spend"]) for r in engine_summary)
            refunds = sum(1 for r in engine_summary if Decimal(r["net_spend"]) < Decimal(r["gross_spend"]))
            check(f"{name}: walk-ins, discounts and refunds are in the data", [] if walk_in and promo and refunds else [f"walk-in {walk_in}, promo {promo}, members with refunds {refunds}"])
        for db in databases:
            t = time.time()
            db.load(contract_csv, day, sleeping, is_status)
            got_summary = db.query(summary_sql)
            t_summary = time.time() - t
            t = time.time()
            got_monthly = db.query(monthly_sql)
            t_monthly = time.time() - t
            print(f"# {db.name} on {name}: summary {len(got_summary)} members in {t_summary:.1f} s, monthly {len(got_monthly)} rows in {t_monthly:.1f} s")
            check(f"{db.name}, {name}: member summary equals the engine's, member by member ({len(engine_summary)} members)",
                  compare_summary(engine_summary, got_summary))
            check(f"{db.name}, {name}: monthly aggregates equal the engine's, row by row", compare_monthly(engine_monthly, got_monthly))
    databases[1].stop()
    print(f"# {time.time() - started:.1f} s in all")
    print(f"warehouse sql: {results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
