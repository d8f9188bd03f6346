#!/usr/bin/env bash
# The dashboard against its peers on the CDNOW log ×copies (default 15), in one run:
#   bash scripts/bench-peers.sh [copies] [rounds]
# ours in headless Chromium (load() → dashboard → predictions), DuckDB-WASM 1.32.0 in the same
# Chromium, pandas + lifetimes in Python; the native engine too when its bench_file example
# builds; the page weight; the ratios against the goals of issue 9. Everything the benchmark
# needs goes to target/peers/ (made or installed once, from npm and PyPI, only when missing):
# the file, DuckDB-WASM, a Python venv. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-15}
rounds=${2:-3}
peers=target/peers
file=$peers/cdnow-x$copies.txt
mkdir -p "$peers"

if [ ! -s "$file" ]; then
  echo "making $file (the CDNOW log ×$copies)…" >&2
  python3 scripts/make-cdnow.py "$copies" "$file.tmp"
  mv "$file.tmp" "$file"
fi

if [ ! -f dist/index.html ]; then
  echo "building the app into dist/…" >&2
  bash scripts/build.sh
fi

duckdb_version=1.32.0
installed=$(node -p "try { require('./$peers/node_modules/@duckdb/duckdb-wasm/package.json').version } catch { '' }")
if [ "$installed" != "$duckdb_version" ]; then
  echo "installing @duckdb/duckdb-wasm@$duckdb_version into $peers…" >&2
  npm install --prefix "$peers" --no-audit --no-fund --loglevel=error "@duckdb/duckdb-wasm@$duckdb_version" >&2
fi

venv=$peers/venv
# Pinned, so that runs on different days compare the same peer.
python_peers=(pandas==3.1.1 numpy==2.4.6 scipy==1.17.1 lifetimes==0.11.3)
if ! "$venv/bin/python" -c 'import pandas, lifetimes' 2>/dev/null; then
  echo "installing ${python_peers[*]} into $venv…" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "${python_peers[@]}" >&2
fi

# The native engine on the same file, if another change has added its file benchmark. Built
# before any timing starts, so that the compiler does not run during the measurements.
native=()
if [ -f crates/engine/examples/bench_file.rs ]; then
  if cargo build --release -q -p member-engine --example bench_file >&2; then
    native=(--native target/release/examples/bench_file)
  else
    echo "the native bench_file example does not build: native figure skipped" >&2
  fi
fi

exec node scripts/bench-peers.mjs "$file" --rounds "$rounds" --python "$venv/bin/python" "${native[@]}"
