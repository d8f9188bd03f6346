#!/usr/bin/env bash
# Sets up what is missing, then runs every test: the engine natively (cargo test), the warehouse
# SQL on DuckDB and Spark against the engine (tests/sql), then the built app in headless
# Chromium (node --test tests/browser). Ends with one line
# "N passed, M failed" over both.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export PATH="$HOME/.cargo/bin:$PATH"
log=$(mktemp -d)

echo "== native tests (cargo test)"
cargo test --workspace --all-targets 2>&1 | tee "$log/cargo.txt"
cargo_status=${PIPESTATUS[0]}

echo "== warehouse SQL (DuckDB, Spark)"
.tools/test-venv/bin/python tests/sql/test_warehouse_sql.py 2>&1 | tee "$log/warehouse.txt"
warehouse_status=${PIPESTATUS[0]}

echo "== release build (trunk)"
bash scripts/build.sh 2>&1 | tail -n 3
build_status=${PIPESTATUS[0]}

browser_status=1
if [ "$build_status" -eq 0 ]; then
  echo "== browser tests (headless Chromium)"
  node --test --test-reporter=tap tests/browser/ 2>&1 | tee "$log/browser.txt"
  browser_status=${PIPESTATUS[0]}
fi

passed=$(grep -hoE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log/cargo.txt" | awk '{s+=$4} END {print s+0}')
failed=$(grep -hoE '[0-9]+ failed;' "$log/cargo.txt" | awk '{s+=$1} END {print s+0}')
passed=$((passed + $(grep -hoE '^# pass [0-9]+' "$log/browser.txt" 2>/dev/null | awk '{s+=$3} END {print s+0}')))
failed=$((failed + $(grep -hoE '^# fail [0-9]+' "$log/browser.txt" 2>/dev/null | awk '{s+=$3} END {print s+0}')))
passed=$((passed + $(grep -hoE '^warehouse sql: [0-9]+ passed' "$log/warehouse.txt" | awk '{s+=$3} END {print s+0}')))
failed=$((failed + $(grep -hoE '^warehouse sql: [0-9]+ passed, [0-9]+ failed' "$log/warehouse.txt" | awk '{s+=$5} END {print s+0}')))
# A run that died before its summary line counts as one failure.
grep -qE '^warehouse sql: ' "$log/warehouse.txt" || failed=$((failed + 1))
[ "$build_status" -eq 0 ] || failed=$((failed + 1))
echo
echo "tests: $passed passed, $failed failed"
[ "$cargo_status" -eq 0 ] && [ "$warehouse_status" -eq 0 ] && [ "$build_status" -eq 0 ] && [ "$browser_status" -eq 0 ]
