#!/usr/bin/env bash
# Sets up what is missing, builds the app (release) and serves it with its demo data.
# Usage: scripts/run-app.sh [port]     (default 8080, or $PORT)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8080}}"
bash scripts/setup.sh --app
bash scripts/build.sh
exec node scripts/serve.mjs "$PORT" dist
