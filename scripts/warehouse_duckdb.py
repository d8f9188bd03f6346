#!/usr/bin/env python3
"""Runs the warehouse SQL (sql/member_summary.sql, sql/monthly_aggregates.sql) on DuckDB: the
"DuckDB on a laptop" path of the README, and the benchmarks' way of making a member summary.

    python scripts/warehouse_duckdb.py <transactions.csv> --analysis-date YYYY-MM-DD
        [--sleeping-days 365] [--status] [--cdnow]
        --summary member_summary.csv [--monthly monthly_aggregates.csv] [--parquet]

The input is a CSV with the SQL's columns (member_id, tx_time, paid, amount, discount, category,
store, order_no, kind; see sql/README.md), or with --cdnow the CDNOW log's layout (customer id,
yyyymmdd, number of CDs, dollars; whitespace-separated). --status: the kind column holds order
statuses (订单状态) rather than row types. --parquet writes Parquet (Snappy) instead of CSV.
Needs the `duckdb` Python package (scripts/setup.sh puts it in .tools/test-venv).
"""
import argparse
import os
import time

import duckdb

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def sql_text(name):
    with open(os.path.join(ROOT, "sql", name), encoding="utf-8") as f:
        return f.read().strip().rstrip(";")


def load(con, path, cdnow):
    if cdnow:
        # Whitespace-separated with runs of spaces (the original log pads its columns).
        con.execute(f"""CREATE TABLE transactions AS
            WITH parts AS (
              SELECT string_split_regex(trim(line), '\\s+') AS f
              FROM read_csv('{path}', header = false, skip = 1, delim = '\t', quote = '', columns = {{'line': 'VARCHAR'}})
              WHERE trim(line) <> '')
            SELECT f[1] AS member_id, CAST(strptime(f[2], '%Y%m%d') AS TIMESTAMP) AS tx_time,
                   CAST(NULL AS DECIMAL(18,2)) AS paid, CAST(f[4] AS DECIMAL(18,2)) AS amount,
                   CAST(NULL AS DECIMAL(18,2)) AS discount, CAST(NULL AS VARCHAR) AS category,
                   CAST(NULL AS VARCHAR) AS store, CAST(NULL AS VARCHAR) AS order_no, CAST(NULL AS VARCHAR) AS kind
            FROM parts""")
    else:
        con.execute(f"""CREATE TABLE transactions AS SELECT * FROM read_csv('{path}', header = true,
            columns = {{'member_id': 'VARCHAR', 'tx_time': 'TIMESTAMP', 'paid': 'DECIMAL(18,2)', 'amount': 'DECIMAL(18,2)',
            'discount': 'DECIMAL(18,2)', 'category': 'VARCHAR', 'store': 'VARCHAR', 'order_no': 'VARCHAR', 'kind': 'VARCHAR'}})""")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("transactions")
    ap.add_argument("--analysis-date", required=True)
    ap.add_argument("--sleeping-days", type=int, default=365)
    ap.add_argument("--status", action="store_true")
    ap.add_argument("--cdnow", action="store_true")
    ap.add_argument("--summary", required=True)
    ap.add_argument("--monthly")
    ap.add_argument("--parquet", action="store_true")
    a = ap.parse_args()
    con = duckdb.connect()
    t0 = time.perf_counter()
    load(con, a.transactions, a.cdnow)
    rows = con.execute("SELECT count(*) FROM transactions").fetchone()[0]
    con.execute(f"""CREATE VIEW params AS SELECT DATE '{a.analysis_date}' AS analysis_date,
        CAST({a.sleeping_days} AS INT) AS sleeping_days, {str(a.status).upper()} AS kind_is_status""")
    # The views both queries read (sql/README.md: steps 1 and 2).
    for name in ("analysis_day.sql", "orders.sql"):
        con.execute(sql_text(name))
    t_read = time.perf_counter()
    fmt = "(FORMAT parquet, COMPRESSION snappy)" if a.parquet else "(HEADER, DELIMITER ',')"
    con.execute(f"COPY ({sql_text('member_summary.sql')}) TO '{a.summary}' {fmt}")
    t_summary = time.perf_counter()
    members = con.execute(f"SELECT count(*) FROM '{a.summary}'").fetchone()[0]
    line = (f"DuckDB {duckdb.__version__}: {rows:,} rows read in {t_read - t0:.1f} s; member summary of {members:,} members "
            f"in {t_summary - t_read:.1f} s → {a.summary} ({os.path.getsize(a.summary) / 1e6:.0f} MB)")
    if a.monthly:
        con.execute(f"COPY ({sql_text('monthly_aggregates.sql')}) TO '{a.monthly}' {fmt}")
        line += f"; monthly aggregates in {time.perf_counter() - t_summary:.1f} s → {a.monthly}"
    print(line, flush=True)


if __name__ == "__main__":
    main()
