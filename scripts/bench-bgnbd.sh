#!/usr/bin/env bash
# BG/NBD fit: this engine natively and in the browser, against Python's lifetimes on the same
# data, with the ratios. Installs lifetimes into .tools/lifetimes-venv the first time (PyPI);
# the browser part needs a built dist/ (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/lifetimes-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q lifetimes==0.11.3
fi
ours=$(cargo run -q --release -p member-engine --example bench_bgnbd)
theirs=$("$venv/bin/python" scripts/reference/bench_lifetimes.py)
browser=$(node scripts/bench-bgnbd-browser.mjs)
printf '%s\n%s\n%s\n\n' "$ours" "$theirs" "$browser"
ms() { sed -E 's/.*: +([0-9.]+) ms.*/\1/'; }
for n in 2357 35355 353550; do
  a=$(echo "$ours" | grep -E "^ *$n customers" | ms)
  b=$(echo "$theirs" | grep -E "^lifetimes +$n customers" | ms)
  awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN { printf "summary %7d customers: native %.1f ms, lifetimes %.1f ms: %.0f× faster\n", n, a, b, b / a }'
done
for n in 23570 353550; do
  a=$(echo "$browser" | grep -E "^browser log +$n customers" | ms)
  b=$(echo "$theirs" | grep -E "^lifetimes log +$n customers" | ms)
  awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN { printf "CDNOW log %7d customers: browser %.1f ms, lifetimes %.1f ms: %.0f× faster\n", n, a, b, b / a }'
done
