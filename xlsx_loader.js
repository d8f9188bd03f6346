// Starts the XLSX writer's Web Worker (loaded on the first XLSX export only): wasm-bindgen's
// no-modules glue, then the wasm. A wasm that cannot load is said to the page (an unhandled
// rejection inside a worker would reach nobody).
importScripts('./xlsx-worker.js');
wasm_bindgen({ module_or_path: './xlsx-worker_bg.wasm' }).catch((e) => postMessage({ failed: String(e) }));
