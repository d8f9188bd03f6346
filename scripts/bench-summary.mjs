// Millions of members from a warehouse-made summary (sql/member_summary.sql), through the page,
// side by side with its peers in one run (issue 13):
//   ours    the built app in headless Chromium: memberDashboard.load(summary) to the dashboard,
//           then to the predictions (BG/NBD + Gamma-Gamma for every member), the worker's heap
//           after them, and member-list queries (filter + sort + totals + first 100 rows);
//   DuckDB  DuckDB-WASM 1.32.0 in the same Chromium: read the same CSV into a table + RFM
//           quintile cells, and the same list queries in SQL;
//   pandas  pandas + lifetimes (scripts/reference/peers_summary.py): read + BG/NBD fit, P(alive)
//           and expected purchases + Gamma-Gamma fit and expected spend + RFM cells.
// Usage: bash scripts/bench-summary.sh [copies]     (makes the file; see there)
//        node scripts/bench-summary.mjs <summary.csv> [--python <venv python>]
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOptions } from '../tests/browser/browser.mjs';
import { startServer, chooseFile, workerHeap, DUCKDB_VERSION } from './bench-server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUNS = 3;

const QUERIES = [
  {
    name: 'every member, by spend',
    ours: { filter: {}, sort: { column: 'spend', descending: true } },
    sql: { where: 'TRUE', order: 'net_spend DESC' },
  },
  {
    name: 'spend ≥ 100 and ≥ 3 visits, by last purchase',
    ours: { filter: { all: [{ by: 'spend', min: 100 }, { by: 'visits', min: 3 }] }, sort: { column: 'last_purchase', descending: true } },
    sql: { where: 'net_spend >= 100 AND purchase_days >= 3', order: 'last_purchase DESC' },
  },
  {
    name: 'id contains "123", by spend',
    ours: { filter: { search: '123' }, sort: { column: 'spend', descending: true } },
    sql: { where: "contains(member_id, '123')", order: 'net_spend DESC' },
  },
];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const sec = (ms) => (ms / 1000).toFixed(2);

async function ours(browser, base, file) {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 0 });
  await chooseFile(page, file);
  const r = await page.evaluate(async () => {
    let frames = 0, longest = 0, last = performance.now(), running = true;
    const tick = () => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; frames++; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    const outcome = await window.memberDashboard.load(document.getElementById('bench-input').files);
    const loaded = performance.now() - t0;
    while (window.memberDashboard.report().busy) await new Promise((res) => setTimeout(res, 5));
    const predicted = performance.now() - t0;
    running = false;
    const rep = window.memberDashboard.report();
    return {
      loaded, predicted, frames, longest, members: outcome.members, transactions: outcome.transactions,
      memory: outcome.engine_memory_bytes, fromSummary: rep.from_summary ?? null,
      params: rep.predictions?.bgnbd?.params ?? null,
    };
  }, null);
  r.heap = await workerHeap(page);
  r.queries = {};
  for (const q of QUERIES) {
    r.queries[q.name] = await page.evaluate(async ({ q, runs }) => {
      const ms = [];
      let res;
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        res = await window.memberDashboard.members(q.filter, { sort: q.sort, limit: 100 });
        if (i > 0) ms.push(performance.now() - t0);
      }
      return { ms, count: res.total };
    }, { q: q.ours, runs: RUNS });
  }
  await page.close();
  return r;
}

async function duckdb(browser, base, file) {
  const page = await browser.newPage();
  await page.goto(`${base}/duckdb.html`);
  await page.waitForFunction(() => typeof window.duckStart === 'function');
  const start = await page.evaluate(() => window.duckStart());
  await chooseFile(page, file);
  const r = await page.evaluate(async ({ queries, runs }) => {
    const { db, conn, duckdb } = window.duck;
    const t0 = performance.now();
    await db.registerFileHandle('summary.csv', document.getElementById('bench-input').files[0], duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    await conn.query(`CREATE TABLE summary AS SELECT * FROM read_csv('summary.csv', header = true)`);
    const tRead = performance.now();
    const cells = await conn.query(`SELECT r, f, m, count(*)::INTEGER AS n FROM (
        SELECT ntile(5) OVER (ORDER BY last_purchase) AS r, ntile(5) OVER (ORDER BY purchase_days) AS f, ntile(5) OVER (ORDER BY net_spend) AS m
        FROM summary WHERE purchase_days > 0) GROUP BY ALL`);
    const tRfm = performance.now();
    const members = Number((await conn.query('SELECT count(*)::INTEGER AS n FROM summary')).getChild('n').get(0));
    const out = {};
    for (const q of queries) {
      const ms = [];
      let count;
      for (let i = 0; i <= runs; i++) {
        const q0 = performance.now();
        const totals = await conn.query(`SELECT count(*)::INTEGER AS n, sum(net_spend) AS s FROM summary WHERE ${q.sql.where}`);
        await conn.query(`SELECT * FROM summary WHERE ${q.sql.where} ORDER BY ${q.sql.order} LIMIT 100`);
        if (i > 0) ms.push(performance.now() - q0);
        count = Number(totals.getChild('n').get(0));
      }
      out[q.name] = { ms, count };
    }
    return { read: tRead - t0, rfm: tRfm - tRead, total: tRfm - t0, members, cells: cells.numRows, queries: out };
  }, { queries: QUERIES, runs: RUNS });
  await page.close();
  return { ...r, ...start };
}

function pandas(python, file) {
  return JSON.parse(execFileSync(python, [path.join(ROOT, 'scripts', 'reference', 'peers_summary.py'), file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

async function main() {
  const args = process.argv.slice(2);
  const pi = args.indexOf('--python');
  const python = pi >= 0 ? args[pi + 1] : path.join(ROOT, 'target', 'peers', 'venv', 'bin', 'python');
  const file = path.resolve(args.find((a, i) => !a.startsWith('--') && i !== pi + 1) ?? '');
  if (!fs.existsSync(file)) {
    console.error('usage: node scripts/bench-summary.mjs <summary.csv> [--python PATH]');
    process.exit(2);
  }
  const mb = fs.statSync(file).size / 1e6;
  const server = await startServer(path.join(ROOT, 'dist'));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ ...launchOptions(), args: [...(launchOptions().args ?? []), '--js-flags=--max-old-space-size=8192'] });
  try {
    const a = await ours(browser, base, file);
    const d = await duckdb(browser, base, file);
    const p = pandas(python, file);
    const n = (x) => Number(x).toLocaleString('en-US');
    console.log(`member summary ${path.basename(file)} (${mb.toFixed(0)} MB CSV): ${n(a.members)} members (DuckDB ${n(d.members)}, pandas ${n(p.members)}); cores ${os.cpus().length}`);
    console.log(`ours     load() → dashboard ${sec(a.loaded)} s, → predictions ${sec(a.predicted)} s; worker heap ${a.heap ? (a.heap / 1e6).toFixed(0) : '?'} MB (engine's own count ${(a.memory / 1e6).toFixed(0)} MB); page painted ${a.frames} frames meanwhile, longest gap ${a.longest.toFixed(0)} ms`);
    console.log(`DuckDB   read ${sec(d.read)} s + RFM cells ${sec(d.rfm)} s = ${sec(d.total)} s (DuckDB-WASM ${d.version}, ${DUCKDB_VERSION}, 1 thread)`);
    console.log(`pandas   read ${sec(p.ms.read)} s + BG/NBD fit & predictions ${sec(p.ms.bgnbd)} s + Gamma-Gamma ${sec(p.ms.gamma_gamma)} s + RFM ${sec(p.ms.rfm)} s = ${sec(p.ms.total)} s (pandas ${p.versions.pandas}, lifetimes ${p.versions.lifetimes})`);
    console.log(`ratios   ours (with predictions) / DuckDB (read + RFM only) = ${(a.predicted / d.total).toFixed(2)};  pandas + lifetimes / ours = ${(p.ms.total / a.predicted).toFixed(1)}×`);
    const ps = (q) => (q ? `r ${q.r.toFixed(4)} α ${q.alpha.toFixed(3)} a ${q.a.toFixed(4)} b ${q.b.toFixed(4)}` : 'none');
    console.log(`BG/NBD   ours ${ps(a.params)}; pandas+lifetimes ${ps(p.params)}`);
    console.log(`${'member-list query'.padEnd(48)} ${'ours ms'.padStart(8)} ${'DuckDB'.padStart(8)}  count (ours · DuckDB)`);
    for (const q of QUERIES) {
      const o = a.queries[q.name], k = d.queries[q.name];
      console.log(`${q.name.padEnd(48)} ${median(o.ms).toFixed(0).padStart(8)} ${median(k.ms).toFixed(0).padStart(8)}  ${n(o.count)} · ${n(k.count)}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
