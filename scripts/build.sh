#!/usr/bin/env bash
# Release build of the app into dist/ (Trunk, offline: the tools come from scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
trunk build --release --offline "$@"
