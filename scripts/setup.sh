#!/usr/bin/env bash
# Installs what building and testing the dashboard needs, and only what is missing:
# the wasm32 target, Trunk 0.21.14, the wasm-bindgen CLI of the version in Cargo.lock,
# Debian's Chromium + ChromeDriver (+ CJK fonts for Chinese), the npm packages of
# package-lock.json, poppler-utils, a Python venv with openpyxl for the browser tests and duckdb +
# pyspark (with Debian's OpenJDK 17 when there is no java) for the warehouse SQL test; with
# --app, only what building and serving need. Safe to run again; quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION to match Cargo.lock (about 4 minutes, once)"
  # Not --locked: the CLI's own lock file pins crates that no longer build with this rustc.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "Trunk.toml pins a wasm_bindgen other than Cargo.lock's $WASM_BINDGEN_VERSION: update [tools] in Trunk.toml" >&2
  exit 1
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm writes node_modules/.package-lock.json on install; a newer package-lock.json means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
# What only the tests need (Python readers, DuckDB, Spark and Java: several hundred MB) is left
# out for `scripts/setup.sh --app` (scripts/run-app.sh: build and serve only).
if [ "${1:-}" = "--app" ]; then
  say "ready (the test tools are installed by scripts/test-all.sh)"
  exit 0
fi
# The browser tests read the exported files and the printed report with independent readers
# (openpyxl for XLSX; the printed report is read with poppler's pdftotext, above), in a venv of
# their own (Debian's Python is externally managed). tests/browser/python.mjs finds it there.
venv=.tools/test-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import openpyxl' 2>/dev/null; then
  say "installing openpyxl into $venv (PyPI)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q openpyxl==3.1.5
fi
# The warehouse SQL test (tests/sql) runs sql/*.sql on DuckDB and on Spark in local mode, in
# the same venv; Spark needs a Java runtime (Debian's OpenJDK 17, for pyspark 4).
DUCKDB_VERSION=2.0.1
PYSPARK_VERSION=4.3.0
if ! "$venv/bin/python" -c 'import duckdb, pyspark' 2>/dev/null; then
  say "installing duckdb $DUCKDB_VERSION and pyspark $PYSPARK_VERSION into $venv (PyPI)"
  "$venv/bin/pip" install -q "duckdb==$DUCKDB_VERSION" "pyspark==$PYSPARK_VERSION"
fi
if ! command -v java >/dev/null; then
  say "installing Debian's openjdk-17-jre-headless (for Spark)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
say "ready"
