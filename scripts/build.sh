#!/usr/bin/env bash
# Release build of the app into dist/ (Trunk, offline: the tools come from scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# Only the ECharts parts the dashboard uses (index.html copies the bundle into dist/).
node scripts/build-echarts.mjs
trunk build --release --offline "$@"
bash scripts/optimize-wasm.sh
node scripts/configure-csp.mjs dist
