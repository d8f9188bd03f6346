// What the browser benchmarks share: a local server for the built app (dist/) and for
// DuckDB-WASM's files (target/peers/node_modules, under /peers/), a page that starts DuckDB-WASM
// (/duckdb.html: window.duckStart()), and a hidden file input holding the benchmark file.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PEERS = path.join(ROOT, 'target', 'peers');
export const DUCKDB_VERSION = '1.32.0';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };

// The app's worker loader, changed in one way: it keeps wasm-bindgen's init promise, whose value
// (the worker's wasm exports) gives the worker's heap after the predictions. Nothing else runs
// differently. If the loader no longer has that shape, it is served as it is and the heap after
// the predictions is not reported.
function instrumentedWorkerLoader(text) {
  const changed = text.replace(/^wasm_bindgen\(/m, 'self.__benchInit = wasm_bindgen(');
  return changed === text ? null : changed;
}

const DUCKDB_NM = path.join(PEERS, 'node_modules');
const DUCKDB_PAGE = `<!doctype html><meta charset="utf-8"><title>DuckDB-WASM peer</title>
<script type="importmap">{"imports": {
  "apache-arrow": "/peers/apache-arrow/Arrow.dom.mjs",
  "flatbuffers": "/peers/flatbuffers/mjs/flatbuffers.js",
  "tslib": "/peers/tslib/tslib.es6.mjs"
}}</script>
<script type="module">
import * as duckdb from '/peers/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
const dist = new URL('/peers/@duckdb/duckdb-wasm/dist/', location.href).href;
// The single-threaded bundle with WebAssembly exceptions ("eh"); selectBundle picks it in
// Chromium too, which the benchmark checks and prints.
const bundles = {
  mvp: { mainModule: dist + 'duckdb-mvp.wasm', mainWorker: dist + 'duckdb-browser-mvp.worker.js' },
  eh: { mainModule: dist + 'duckdb-eh.wasm', mainWorker: dist + 'duckdb-browser-eh.worker.js' },
};
window.duckStart = async () => {
  const selected = await duckdb.selectBundle(bundles);
  const bundle = bundles.eh;
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, null);
  await db.open({ path: ':memory:' });
  const conn = await db.connect();
  const version = await db.getVersion();
  window.duck = { db, conn, duckdb };
  return { selected: selected.mainModule === bundle.mainModule ? 'eh' : selected.mainModule, version };
};
</script>`;

export function startServer(distDir) {
  const root = path.resolve(distDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (type, body) => { res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }); res.end(body); };
    if (url.pathname === '/duckdb.html') return send(TYPES['.html'], DUCKDB_PAGE);
    let base = root;
    let rel = decodeURIComponent(url.pathname);
    if (rel.startsWith('/peers/')) { base = DUCKDB_NM; rel = rel.slice('/peers'.length); }
    let file = path.join(base, rel);
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      if (base === root && rel === '/worker_loader.js') body = instrumentedWorkerLoader(body.toString('utf8')) ?? body;
      send(TYPES[path.extname(file)] ?? 'application/octet-stream', body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// A hidden file input holding the benchmark file, as a user's choice would.
export async function chooseFile(page, file) {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-input';
    input.style.display = 'none';
    document.body.append(input);
  });
  await page.setInputFiles('#bench-input', file);
}

// The worker's wasm memory (it only grows, so after the predictions this is its peak); needs the
// instrumented worker loader this server serves.
export async function workerHeap(page) {
  for (const w of page.workers()) {
    if (!w.url().endsWith('/worker_loader.js')) continue;
    const bytes = await w.evaluate(async () => (self.__benchInit ? (await self.__benchInit).memory.buffer.byteLength : null)).catch(() => null);
    if (bytes) return bytes;
  }
  return null;
}
