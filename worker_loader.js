// Starts the engine's Web Worker: loads wasm-bindgen's no-modules glue, then the worker's wasm.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' });
