#!/usr/bin/env bash
# Millions of members from a warehouse-made summary through the page, with its peers (issue 13):
#   bash scripts/bench-summary.sh [copies]
# The CDNOW log ×copies (default 213: 5,020,410 members, 14.8 M rows; scripts/make-cdnow.py) is
# summarised by DuckDB with sql/member_summary.sql (scripts/warehouse_duckdb.py, timed: the
# "made elsewhere" step), then scripts/bench-summary.mjs loads the summary in headless Chromium
# next to DuckDB-WASM and pandas + lifetimes. Files and peers go to target/peers/ (made or
# installed once, only when missing). Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-213}
peers=target/peers
log=$peers/cdnow-x$copies.txt
summary=$peers/summary-x$copies.csv
mkdir -p "$peers"
bash scripts/setup.sh >/dev/null
[ -s "$log" ] || { python3 scripts/make-cdnow.py "$copies" "$log.tmp" && mv "$log.tmp" "$log"; }
if [ ! -s "$summary" ]; then
  # The log's last day (the engine's default analysis date for the raw log).
  .tools/test-venv/bin/python scripts/warehouse_duckdb.py "$log" --cdnow --analysis-date 1998-06-30 --summary "$summary"
fi
[ -f dist/index.html ] || bash scripts/build.sh
installed=$(node -p "try { require('./$peers/node_modules/@duckdb/duckdb-wasm/package.json').version } catch { '' }")
[ "$installed" = "1.32.0" ] || npm install --prefix "$peers" --no-audit --no-fund --loglevel=error "@duckdb/duckdb-wasm@1.32.0" >&2
venv=$peers/venv
if ! "$venv/bin/python" -c 'import pandas, lifetimes' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pandas==3.1.1 numpy==2.4.6 scipy==1.17.1 lifetimes==0.11.3 >&2
fi
exec node scripts/bench-summary.mjs "$summary" --python "$venv/bin/python"
