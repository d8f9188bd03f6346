// The dashboard side by side with its peers on one file, in one run on one machine (issue 9):
//   ours    the built app (dist/) in headless Chromium: memberDashboard.load(file) to the
//           dashboard shown and to the predictions in (every analysis + the models);
//   DuckDB  DuckDB-WASM 1.32.0 in the same Chromium (single-threaded EH bundle, the file
//           registered as a File handle): read + per-customer summary + RFM cells;
//   pandas  pandas + lifetimes: read + summary + BG/NBD fit + P(alive) + RFM cells.
// Rounds interleave the three tools (ours, DuckDB, pandas, then again), so that a load on the
// machine that comes and goes weighs on all of them alike; each tool's figure is its best round.
// Start-up is not timed for anyone: the app's page and wasm are loaded and ready before load()
// is called, DuckDB is instantiated and connected before its clock starts, Python has imported
// its libraries. Every timed round starts from the file (a new page per browser round).
//
// Usage (normally through scripts/bench-peers.sh, which installs the peers and makes the file):
//   node scripts/bench-peers.mjs <file> [--rounds 3] [--python <venv python>] [--native <bench_file binary>]
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchOptions } from '../tests/browser/browser.mjs';
import { startServer, chooseFile, workerHeap, DUCKDB_VERSION } from './bench-server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PEERS = path.join(ROOT, 'target', 'peers');
const GOALS = { vsDuckdb: 0.6, vsPandas: 7, pageWeightMB: 1.5 };

function options(argv) {
  const o = { file: null, rounds: 3, python: path.join(PEERS, 'venv', 'bin', 'python'), native: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--python') o.python = argv[++i];
    else if (a === '--native') o.native = argv[++i];
    else o.file = a;
  }
  if (!o.file || !(o.rounds >= 1)) {
    console.error('usage: node scripts/bench-peers.mjs <file> [--rounds N] [--python PATH] [--native PATH]');
    process.exit(2);
  }
  o.file = path.resolve(o.file);
  return o;
}

// ---------- the file and the machine ----------

function fileFacts(file) {
  const text = fs.readFileSync(file, 'latin1');
  let rows = -1; // the header is not a row
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) rows++;
  return { name: path.basename(file), bytes: fs.statSync(file).size, rows };
}

function cpuModel() {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('Model name:'));
    if (line) return line.replace('Model name:', '').trim();
  } catch { /* lscpu missing: fall back to /proc/cpuinfo */ }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

// ---------- ours ----------

async function oursOnce(browser, base, file) {
  const page = await browser.newPage();
  try {
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.memberDashboard?.report().ready);
    // The page starts with its demo; the clock starts once the worker has finished with it.
    await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 0 });
    await chooseFile(page, file);
    const r = await page.evaluate(async () => {
      const files = document.getElementById('bench-input').files;
      const t0 = performance.now();
      const outcome = await window.memberDashboard.load(files);
      const loaded = performance.now() - t0;
      // Two frames: the dashboard's figures are painted.
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      const shown = performance.now() - t0;
      // The predictions (model fits) follow the dashboard in a second message.
      while (window.memberDashboard.report().busy) await new Promise((res) => setTimeout(res, 5));
      const predicted = performance.now() - t0;
      const rep = window.memberDashboard.report();
      return {
        loaded, shown, predicted,
        rows: outcome.transactions, members: outcome.members, heapAtDashboard: outcome.engine_memory_bytes,
        analysisDate: rep.analysis_date, predictions: rep.predictions != null && !rep.predictions.pending,
        error: rep.error,
      };
    });
    r.heapAfterPredictions = await workerHeap(page);
    return r;
  } finally {
    await page.close();
  }
}

// ---------- DuckDB-WASM ----------

// Summary per customer as of the log's last day (the dashboard's default analysis day): first
// and last purchase day, purchase days, spend, and BG/NBD's x, t_x and T in days; then RFM
// quintile scores (ntile(5)) and the customers in each R×F×M cell. A purchase is a sale ≥ 0.
const DUCK_SQL = (name) => [
  `CREATE TABLE tx AS SELECT * FROM read_csv('${name}', delim = ' ', header = false, skip = 1,
     columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'number_of_cds': 'INTEGER', 'dollar_value': 'DOUBLE'},
     dateformat = '%Y%m%d')`,
  `CREATE TABLE summary AS
     WITH purchases AS (SELECT * FROM tx WHERE dollar_value >= 0),
          period AS (SELECT max(date) AS end_day FROM purchases)
     SELECT customer_id, min(date) AS first_day, max(date) AS last_day,
            count(DISTINCT date) AS purchase_days, sum(dollar_value) AS spend,
            count(DISTINCT date) - 1 AS x, max(date) - min(date) AS t_x, any_value(end_day) - min(date) AS "T"
     FROM purchases, period GROUP BY customer_id`,
  `SELECT r, f, m, count(*)::INTEGER AS customers FROM (
     SELECT ntile(5) OVER (ORDER BY last_day) AS r, ntile(5) OVER (ORDER BY purchase_days) AS f,
            ntile(5) OVER (ORDER BY spend) AS m
     FROM summary) GROUP BY ALL ORDER BY ALL`,
];

async function duckdbOnce(browser, base, file) {
  const page = await browser.newPage();
  try {
    await page.goto(`${base}/duckdb.html`);
    await page.waitForFunction(() => typeof window.duckStart === 'function');
    const start = await page.evaluate(() => window.duckStart());
    await chooseFile(page, file);
    const r = await page.evaluate(async (sql) => {
      const { db, conn, duckdb } = window.duck;
      const file = document.getElementById('bench-input').files[0];
      const name = 'cdnow.txt';
      const t0 = performance.now();
      await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      const [read, summary, rfm] = sql;
      await conn.query(read);
      const tRead = performance.now();
      await conn.query(summary);
      const tSummary = performance.now();
      const cells = await conn.query(rfm);
      const counts = Array.from(cells.getChild('customers').toArray());
      const tDone = performance.now();
      const rows = Number((await conn.query('SELECT count(*)::INTEGER AS n FROM tx')).getChild('n').get(0));
      const customers = Number((await conn.query('SELECT count(*)::INTEGER AS n FROM summary')).getChild('n').get(0));
      return {
        read: tRead - t0, summary: tSummary - tRead, rfm: tDone - tSummary, total: tDone - t0,
        rows, customers, cells: counts.length, cellCustomers: counts.reduce((a, b) => a + b, 0),
      };
    }, DUCK_SQL('cdnow.txt'));
    return { ...r, ...start };
  } finally {
    await page.close();
  }
}

// ---------- pandas + lifetimes ----------

// One Python process for all rounds (imports once, untimed); each "run" line is one timed run.
async function startPandas(python, file) {
  const child = spawn(python, [path.join(ROOT, 'scripts', 'reference', 'peers_pandas.py'), file, '--stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the pandas peer stopped (see its error above)');
    return JSON.parse(value);
  };
  const hello = await next();
  return {
    versions: hello.versions,
    run: async () => { child.stdin.write('run\n'); return next(); },
    stop: () => child.stdin.end(),
  };
}

// ---------- the native engine (another helper's example; optional) ----------

function nativeOnce(binary, file) {
  if (!binary || !fs.existsSync(binary)) return null;
  try {
    const out = execFileSync(binary, [file, '3'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = (re) => { const m = out.match(re); return m ? Number(m[1]) : null; };
    const read = ms(/read in ([0-9.]+) ms/);
    const worker = ms(/worker total[^\n]*?([0-9.]+) ms/);
    return { out: out.trimEnd(), read, worker, total: read != null && worker != null ? read + worker : null };
  } catch (e) {
    return { out: `bench_file failed: ${String(e.stderr || e.message).trim().split('\n').slice(-3).join(' | ')}`, total: null };
  }
}

// ---------- page weight ----------

// The XLSX writer's worker loads on the first XLSX export only, the Parquet reader's when a
// Parquet file arrives, not with the page; embed.js is loaded by a host page (not by the
// dashboard), csp-header.txt is for the web server.
const ON_DEMAND = /^(xlsx[-_]|parquet[-_]|embed\.js$|csp-header\.txt$)/;

// What the page loads at start (the goal applies to it) and what it loads on demand, gzip -9.
function pageWeight(distDir) {
  const files = fs.readdirSync(distDir).filter((f) => fs.statSync(path.join(distDir, f)).isFile()).sort();
  const rows = files.map((f) => {
    const body = fs.readFileSync(path.join(distDir, f));
    return { file: f, raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length, onDemand: ON_DEMAND.test(f) };
  });
  const sum = (part) => ({ rows: part, gzip: part.reduce((a, r) => a + r.gzip, 0), raw: part.reduce((a, r) => a + r.raw, 0) });
  return { ...sum(rows.filter((r) => !r.onDemand)), onDemand: sum(rows.filter((r) => r.onDemand)) };
}

// ---------- the report ----------

const s = (ms) => (ms / 1000).toFixed(2);
const mb = (bytes) => (bytes / 1e6).toFixed(1);
const best = (runs, key) => Math.min(...runs.map((r) => r[key]));
const list = (runs, key) => runs.map((r) => s(r[key])).join(' / ');
const n = (x) => Number(x).toLocaleString('en-US');
const times = (x) => `${x >= 1 ? x.toFixed(1) : x.toPrecision(2)}×`;

function check(label, got, want) {
  if (got !== want) console.log(`  !! ${label}: ${n(got)}, expected ${n(want)}`);
}

async function main() {
  const o = options(process.argv.slice(2));
  const dist = path.join(ROOT, 'dist');
  const facts = fileFacts(o.file);
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  console.log(`bench-peers ${date} · ${cpuModel()} · ${os.cpus().length} CPUs · load average at start ${loadAverage()}`);
  console.log(`file ${facts.name}: ${n(facts.rows)} rows, ${mb(facts.bytes)} MB; ${o.rounds} rounds, each tool in turn\n`);

  const server = await startServer(dist);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch(launchOptions());
  const pandas = await startPandas(o.python, o.file);
  const ours = [];
  const duck = [];
  const py = [];
  try {
    for (let round = 1; round <= o.rounds; round++) {
      const a = await oursOnce(browser, base, o.file);
      if (a.error) throw new Error(`the app reported an error: ${a.error}`);
      ours.push(a);
      console.log(`round ${round} ours:   dashboard ${s(a.shown)} s, predictions ${s(a.predicted)} s (${n(a.members)} members, ${n(a.rows)} rows, analysis day ${a.analysisDate})`);
      const d = await duckdbOnce(browser, base, o.file);
      duck.push(d);
      console.log(`round ${round} DuckDB: ${s(d.total)} s = read ${s(d.read)} + summary ${s(d.summary)} + RFM ${s(d.rfm)} (${n(d.customers)} customers, ${d.cells} RFM cells)`);
      const p = await pandas.run();
      py.push({ ...p.ms, customers: p.customers, rows: p.rows, cells: p.rfm_cells });
      console.log(`round ${round} pandas: ${s(p.ms.total)} s = read ${s(p.ms.read)} + summary ${s(p.ms.summary)} + BG/NBD+P(alive) ${s(p.ms.bgnbd_fit_and_p_alive)} + RFM ${s(p.ms.rfm)} (${n(p.customers)} customers, ${p.rfm_cells} RFM cells)`);
    }
  } finally {
    pandas.stop();
    await browser.close();
    server.close();
  }
  const loadAfterRounds = loadAverage();
  const native = nativeOnce(o.native, o.file);
  const weight = pageWeight(dist);

  const members = ours[0].members;
  console.log('\nsame file, same answers:');
  check('rows the app read vs lines in the file', ours[0].rows, facts.rows);
  check('DuckDB rows', duck[0].rows, facts.rows);
  check('pandas rows', py[0].rows, facts.rows);
  check('DuckDB customers vs app members', duck[0].customers, members);
  check('pandas customers vs app members', py[0].customers, members);
  check('DuckDB customers in RFM cells', duck[0].cellCustomers, members);
  console.log(`  ${n(facts.rows)} rows and ${n(members)} customers for all three; predictions in the app: ${ours.every((r) => r.predictions) ? 'yes' : 'NO'}`);
  console.log(`  DuckDB ${duck[0].version}, bundle ${duck[0].selected} (selectBundle's choice), single-threaded; pandas peer ${Object.entries(pandas.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const oursBest = best(ours, 'predicted');
  const duckBest = best(duck, 'total');
  const pyBest = best(py, 'total');
  const ratioDuck = oursBest / duckBest;
  const ratioPandas = pyBest / oursBest;
  const heapDash = Math.max(...ours.map((r) => r.heapAtDashboard));
  const heapPeak = ours.every((r) => r.heapAfterPredictions) ? Math.max(...ours.map((r) => r.heapAfterPredictions)) : null;
  const yes = (ok) => (ok ? 'met' : 'NOT met');

  console.log(`\n=== ${facts.name}: ${n(facts.rows)} rows, ${n(members)} customers, ${mb(facts.bytes)} MB · ${date} · ${cpuModel()} (${os.cpus().length} CPUs) ===`);
  console.log(`load average: ${loadAfterRounds} after the rounds (1, 5, 15 min; other work on the machine slows every tool)`);
  console.log('tool                                   what is timed                                        best     runs (s)');
  console.log(`ours, browser: dashboard shown         load() → every analysis painted                     ${s(best(ours, 'shown')).padStart(6)} s  ${list(ours, 'shown')}`);
  console.log(`ours, browser: with predictions        load() → dashboard + BG/NBD predictions in          ${s(oursBest).padStart(6)} s  ${list(ours, 'predicted')}`);
  console.log(`DuckDB-WASM ${DUCKDB_VERSION} (1 thread, EH)     read + per-customer summary + RFM cells             ${s(duckBest).padStart(6)} s  ${list(duck, 'total')}`);
  console.log(`pandas + lifetimes                     read + summary + BG/NBD fit + P(alive) + RFM cells  ${s(pyBest).padStart(6)} s  ${list(py, 'total')}`);
  if (native?.total != null) console.log(`ours, native (bench_file, best of 3)   read + every analysis + predictions                 ${s(native.total).padStart(6)} s  read ${s(native.read)} (once) + worker calls ${s(native.worker)} (best), after the rounds`);
  else console.log(`ours, native: ${native ? native.out : 'skipped (no bench_file example built)'}`);
  console.log(`ratio ours (with predictions) / DuckDB = ${ratioDuck.toFixed(2)}  (goal ≤ ${GOALS.vsDuckdb}: ${yes(ratioDuck <= GOALS.vsDuckdb)})`);
  console.log(`ratio pandas / ours (with predictions) = ${times(ratioPandas)}  (goal ≥ ${GOALS.vsPandas}: ${yes(ratioPandas >= GOALS.vsPandas)})`);
  // The same ratios round by round (the tools ran back to back there): their spread shows the noise.
  const perRound = ours.map((a, i) => `${(a.predicted / duck[i].total).toFixed(2)}, ${times(py[i].total / a.predicted)}`);
  console.log(`round by round (ours/DuckDB, pandas/ours): ${perRound.join(' · ')}`);
  console.log(`worker heap (wasm memory): ${mb(heapDash)} MB at the dashboard${heapPeak ? `, ${mb(heapPeak)} MB after the predictions` : ''}`);
  const weightMB = weight.gzip / 1e6;
  console.log(`page weight: ${weightMB.toFixed(2)} MB gzip -9 (${mb(weight.raw)} MB raw) loaded at start (goal ≤ ${GOALS.pageWeightMB} MB: ${yes(weightMB <= GOALS.pageWeightMB)})`);
  console.log('  ' + weight.rows.map((r) => `${r.file} ${(r.gzip / 1e3).toFixed(0)} kB`).join(', '));
  console.log(`  loaded on demand (the first XLSX export, the first Parquet file): ${(weight.onDemand.gzip / 1e6).toFixed(2)} MB gzip -9: ` + weight.onDemand.rows.map((r) => `${r.file} ${(r.gzip / 1e3).toFixed(0)} kB`).join(', '));
  console.log('Timing: no start-up in any figure (page + wasm ready and idle, DuckDB instantiated and connected, Python imports done);');
  console.log('  every round starts from the file, round 1 warms the caches (compiled wasm, OS file cache) and the best round counts.');
  console.log('  DuckDB gets the column types and the date format (no sniffing) and a logger that drops its log.');
  if (native?.out && native.total != null) console.log(`\nnative bench_file output:\n${native.out}`);
}

await main();
