#!/usr/bin/env bash
# BG/NBD fit: this engine (native) against Python's lifetimes on the same data, with the ratio.
# Installs lifetimes into .tools/lifetimes-venv the first time (from PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/lifetimes-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q lifetimes==0.11.3
fi
ours=$(cargo run -q --release --example bench_bgnbd)
theirs=$("$venv/bin/python" scripts/reference/bench_lifetimes.py)
echo "$ours"
echo "$theirs"
paste <(echo "$ours" | sed -E 's/^ *([0-9]+) customers.*: +([0-9.]+) ms.*/\1 \2/') \
      <(echo "$theirs" | sed -E 's/^lifetimes +([0-9]+) customers: +([0-9.]+) ms.*/\2/') |
  awk '{ printf "%9d customers: lifetimes takes %.0f× as long (%.1f ms against %.1f ms)\n", $1, $3 / $2, $3, $2 }'
