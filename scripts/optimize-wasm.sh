#!/usr/bin/env bash
# Optimises the wasm files Trunk wrote to dist/ with binaryen's wasm-opt from npm (Debian's
# binaryen 108 breaks wasm-bindgen 0.2.130's externref table, so Trunk's own wasm-opt step is off):
# the engine's worker for speed (-O3), the page's UI, the XLSX writer's worker (loaded on the
# first XLSX export) and the Parquet reader's (loaded when a Parquet file arrives) for size (-Oz). Together they take ~55 KB
# off the gzip page weight. Run by scripts/build.sh after `trunk build`.
set -euo pipefail
cd "$(dirname "$0")/.."
opt=node_modules/.bin/wasm-opt
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-mutable-globals --enable-multivalue)
"$opt" -O3 "${features[@]}" dist/worker_bg.wasm -o dist/worker_bg.wasm
"$opt" -Oz "${features[@]}" dist/member-dashboard_bg.wasm -o dist/member-dashboard_bg.wasm
"$opt" -Oz "${features[@]}" dist/xlsx-worker_bg.wasm -o dist/xlsx-worker_bg.wasm
"$opt" -Oz "${features[@]}" dist/parquet-worker_bg.wasm -o dist/parquet-worker_bg.wasm
