#!/usr/bin/env bash
# Builds and runs the reference API server (crates/api-server): the built-in demo, or FILE as
# transactions, served as the dashboard's API under /api (contract: api/openapi.yaml).
# Usage: scripts/api-server.sh [port] [file] [more api-server options…]   (default port 8090, or $PORT)
#   scripts/api-server.sh                       the demo on http://127.0.0.1:8090/api
#   scripts/api-server.sh 9000 sales.csv --members members.xlsx --token dev-token
#   scripts/api-server.sh 8090 "" --dist dist   the demo and the built app on one origin
# More in api/README.md, or: target/release/api-server --help
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8090}}"
FILE="${2:-}"
shift $(( $# > 2 ? 2 : $# ))
cargo build --release --quiet -p member-api-server
args=(--port "$PORT")
if [ -n "$FILE" ]; then
  args+=(--transactions "$FILE")
fi
# The server prints "listening on http://HOST:PORT"; the API is under /api.
exec target/release/api-server "${args[@]}" "$@"
