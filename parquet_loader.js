// Starts the Parquet reader's Web Worker (loaded only when a Parquet file arrives): wasm-bindgen's
// no-modules glue, then the wasm. A wasm that cannot load is said to the page (an unhandled
// rejection inside a worker would reach nobody).
importScripts('./parquet-worker.js');
wasm_bindgen({ module_or_path: './parquet-worker_bg.wasm' }).catch((e) => postMessage({ failed: String(e) }));
