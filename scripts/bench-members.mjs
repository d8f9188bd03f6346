// The member list on 350,000 members (the CDNOW log ×15), side by side with its peers in one
// run (issue 10: filtering or sorting answers within 100 ms in the browser):
//   ours    the built app in headless Chromium: memberDashboard.members(filter, { sort, limit: 100 })
//           from the call to the resolved Promise (the worker filters, sorts, totals and sends
//           the first 100 rows);
//   DuckDB  DuckDB-WASM 1.32.0 in the same Chromium, on a per-customer table made from the same
//           file beforehand (untimed): count + sum and the first 100 rows in the query's order;
//   pandas  the same on a DataFrame (scripts/reference/peers_members.py).
// Each query runs once to warm up, then 5 times; the figure is the median.
// Usage: bash scripts/bench-members.sh [copies]   (installs the peers like bench-peers.sh)
//        node scripts/bench-members.mjs <file> [--python <venv python>]
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOptions } from '../tests/browser/browser.mjs';
import { startServer, chooseFile, DUCKDB_VERSION } from './bench-server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUNS = 5;
const GOAL_MS = 100;

// Each query in the three tools' terms. The app's filter is the JSON of the URL and the README.
const QUERIES = [
  {
    name: 'every member, by spend',
    ours: { filter: {}, sort: { column: 'spend', descending: true } },
    sql: { where: 'TRUE', order: 'spend DESC' },
    pandas: { order: ['spend', true] },
  },
  {
    name: 'spend ≥ 100 and ≥ 3 visits, by last purchase',
    ours: { filter: { all: [{ by: 'spend', min: 100 }, { by: 'visits', min: 3 }] }, sort: { column: 'last_purchase', descending: true } },
    sql: { where: 'spend >= 100 AND purchase_days >= 3', order: 'last_day DESC' },
    pandas: { spend_min: 100, visits_min: 3, order: ['last_day', true] },
  },
  {
    name: 'id contains "123", by spend',
    ours: { filter: { search: '123' }, sort: { column: 'spend', descending: true } },
    sql: { where: "contains(customer_id, '123')", order: 'spend DESC' },
    pandas: { id_contains: '123', order: ['spend', true] },
  },
  {
    name: 'last purchase in 1997-04..1997-09, by id',
    ours: { filter: { all: [{ by: 'last_purchase', from: '1997-04-01', to: '1997-09-30' }] }, sort: { column: 'id', descending: false } },
    sql: { where: "last_day BETWEEN DATE '1997-04-01' AND DATE '1997-09-30'", order: 'customer_id' },
    pandas: { last_from: '1997-04-01', last_to: '1997-09-30', order: ['customer_id', false] },
  },
  {
    name: 'R score 5 and F score 4–5, by spend',
    ours: { filter: { all: [{ by: 'r_score', any: [5] }, { by: 'f_score', any: [4, 5] }] }, sort: { column: 'spend', descending: true } },
    sql: { where: 'r = 5 AND f >= 4', order: 'spend DESC' },
    pandas: { r_in: [5], f_in: [4, 5], order: ['spend', true] },
  },
  {
    name: 'every member, by recency (sort only)',
    ours: { filter: {}, sort: { column: 'recency', descending: false } },
    sql: { where: 'TRUE', order: 'last_day DESC' },
    pandas: { order: ['last_day', true] },
  },
];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function ours(browser, base, file) {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 0 });
  await chooseFile(page, file);
  const loaded = await page.evaluate(async () => {
    const outcome = await window.memberDashboard.load(document.getElementById('bench-input').files);
    while (window.memberDashboard.report().busy) await new Promise((r) => setTimeout(r, 10));
    return { members: outcome.members };
  });
  const out = {};
  for (const q of QUERIES) {
    out[q.name] = await page.evaluate(async ({ q, runs }) => {
      const ms = [];
      let page;
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        page = await window.memberDashboard.members(q.filter, { sort: q.sort, limit: 100 });
        if (i > 0) ms.push(performance.now() - t0);
      }
      return { ms, count: page.total, spend: page.revenue_cents / 100, first_id: page.rows[0]?.id ?? null };
    }, { q: q.ours, runs: RUNS });
  }
  await page.close();
  return { members: loaded.members, queries: out };
}

const DUCK_SETUP = (name) => [
  `CREATE TABLE tx AS SELECT * FROM read_csv('${name}', delim = ' ', header = false, skip = 1,
     columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'number_of_cds': 'INTEGER', 'dollar_value': 'DOUBLE'},
     dateformat = '%Y%m%d')`,
  `CREATE TABLE members AS
     SELECT customer_id, min(date) AS first_day, max(date) AS last_day,
            count(DISTINCT date) AS purchase_days, sum(dollar_value) AS spend
     FROM tx WHERE dollar_value >= 0 GROUP BY customer_id`,
  `CREATE TABLE summary AS SELECT *, ntile(5) OVER (ORDER BY last_day) AS r, ntile(5) OVER (ORDER BY purchase_days) AS f FROM members`,
];

async function duckdb(browser, base, file) {
  const page = await browser.newPage();
  await page.goto(`${base}/duckdb.html`);
  await page.waitForFunction(() => typeof window.duckStart === 'function');
  const start = await page.evaluate(() => window.duckStart());
  await chooseFile(page, file);
  const r = await page.evaluate(async ({ setup, queries, runs }) => {
    const { db, conn, duckdb } = window.duck;
    await db.registerFileHandle('cdnow.txt', document.getElementById('bench-input').files[0], duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    for (const s of setup) await conn.query(s);
    const customers = Number((await conn.query('SELECT count(*)::INTEGER AS n FROM summary')).getChild('n').get(0));
    const out = {};
    for (const q of queries) {
      const ms = [];
      let count, spend, first;
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        const totals = await conn.query(`SELECT count(*)::INTEGER AS n, sum(spend) AS s FROM summary WHERE ${q.sql.where}`);
        const rows = await conn.query(`SELECT * FROM summary WHERE ${q.sql.where} ORDER BY ${q.sql.order} LIMIT 100`);
        if (i > 0) ms.push(performance.now() - t0);
        count = Number(totals.getChild('n').get(0));
        spend = Number(totals.getChild('s').get(0));
        first = rows.numRows ? String(rows.getChild('customer_id').get(0)) : null;
      }
      out[q.name] = { ms, count, spend, first_id: first };
    }
    return { customers, queries: out };
  }, { setup: DUCK_SETUP('cdnow.txt'), queries: QUERIES, runs: RUNS });
  await page.close();
  return { ...r, ...start };
}

function pandas(python, file) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-members-'));
  const qfile = path.join(dir, 'queries.json');
  fs.writeFileSync(qfile, JSON.stringify(QUERIES));
  try {
    return JSON.parse(execFileSync(python, [path.join(ROOT, 'scripts', 'reference', 'peers_members.py'), file, qfile, String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  const file = path.resolve(args.find((a) => !a.startsWith('--') && !args[args.indexOf(a) - 1]?.startsWith('--python')) ?? '');
  const pi = args.indexOf('--python');
  const python = pi >= 0 ? args[pi + 1] : path.join(ROOT, 'target', 'peers', 'venv', 'bin', 'python');
  if (!fs.existsSync(file)) {
    console.error('usage: node scripts/bench-members.mjs <file> [--python PATH]');
    process.exit(2);
  }
  const server = await startServer(path.join(ROOT, 'dist'));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch(launchOptions());
  try {
    const a = await ours(browser, base, file);
    const d = await duckdb(browser, base, file);
    const p = pandas(python, file);
    console.log(`member list on ${path.basename(file)}: ${a.members.toLocaleString('en-US')} members (DuckDB ${d.customers.toLocaleString('en-US')}, pandas ${p.customers.toLocaleString('en-US')} customers); median of ${RUNS} after a warm-up; cores ${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`${'query'.padEnd(48)} ${'ours ms'.padStart(8)} ${'DuckDB'.padStart(8)} ${'pandas'.padStart(8)}  ours/Duck  pandas/ours  count (ours · DuckDB · pandas)`);
    let worst = 0;
    for (const q of QUERIES) {
      const o = a.queries[q.name], k = d.queries[q.name], y = p.queries[q.name];
      const [mo, mk, my] = [median(o.ms), median(k.ms), median(y.ms)];
      worst = Math.max(worst, mo);
      console.log(`${q.name.padEnd(48)} ${mo.toFixed(1).padStart(8)} ${mk.toFixed(1).padStart(8)} ${my.toFixed(1).padStart(8)}  ${(mo / mk).toFixed(2).padStart(9)}  ${(my / mo).toFixed(1).padStart(11)}  ${o.count} · ${k.count} · ${y.count}`);
    }
    console.log(`slowest answer of ours: ${worst.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms: ${worst <= GOAL_MS ? 'met' : 'NOT met'}); DuckDB-WASM ${d.version} (${DUCKDB_VERSION}), pandas ${p.versions.pandas}`);
    console.log('Counts differ only where the tools rank ties differently (R/F quintiles); the first rows may differ among equal sort keys.');
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
