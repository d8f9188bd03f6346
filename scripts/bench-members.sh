#!/usr/bin/env bash
# The member list (filter, sort, totals, first 100 rows) on the CDNOW log ×copies (default 15 =
# 353,550 members): the app in headless Chromium against DuckDB-WASM and pandas in one run.
#   bash scripts/bench-members.sh [copies]
# Installs the peers into target/peers/ the way scripts/bench-peers.sh does (only when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-15}
peers=target/peers
file=$peers/cdnow-x$copies.txt
mkdir -p "$peers"
[ -s "$file" ] || { python3 scripts/make-cdnow.py "$copies" "$file.tmp" && mv "$file.tmp" "$file"; }
[ -f dist/index.html ] || bash scripts/build.sh
installed=$(node -p "try { require('./$peers/node_modules/@duckdb/duckdb-wasm/package.json').version } catch { '' }")
[ "$installed" = "1.32.0" ] || npm install --prefix "$peers" --no-audit --no-fund --loglevel=error "@duckdb/duckdb-wasm@1.32.0" >&2
venv=$peers/venv
if ! "$venv/bin/python" -c 'import pandas' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pandas==3.1.1 numpy==2.4.6 >&2
fi
exec node scripts/bench-members.mjs "$file" --python "$venv/bin/python"
