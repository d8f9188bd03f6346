// Parquet files through the page: made at test time with DuckDB (the test venv's), chosen in the
// file input, read by the Parquet worker (fetched only then, never at start) into CSV, mapped and
// loaded; a ZSTD file and a damaged one say why, and the page is not left busy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';
import { runPython } from './python.mjs';

// Member i (1..6) buys i times, on distinct days: 21 transactions, amounts with cents.
const ROWS = [];
for (let m = 1; m <= 6; m++) {
  for (let k = 0; k < m; k++) ROWS.push([`M${m}`, `2025-0${1 + k % 6}-${String(3 + m + k).padStart(2, '0')}`, `${10 * m + k}.${String(5 * k).padStart(2, '0')}`]);
}

let app;
let dir;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'md-parquet-'));
  writeFileSync(path.join(dir, 'rows.json'), JSON.stringify(ROWS));
  // Several row groups (4 rows each), Snappy as DuckDB writes by default; and the same as ZSTD.
  runPython(`
import duckdb, json, sys, os
d = sys.argv[1]
rows = json.load(open(os.path.join(d, 'rows.json')))
con = duckdb.connect()
con.execute("CREATE TABLE t (member_id VARCHAR, date DATE, amount DECIMAL(18,2))")
con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
for name, codec in [('sales.parquet', 'snappy'), ('sales-zstd.parquet', 'zstd')]:
    con.execute(f"COPY t TO '{os.path.join(d, name)}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 4)")
print(json.dumps(con.execute("SELECT count(*), count(DISTINCT member_id) FROM t").fetchone()))
`, dir);
  // Parquet's magic at both ends, nothing readable between.
  const junk = Buffer.alloc(300, 0x5a);
  writeFileSync(path.join(dir, 'damaged.parquet'), Buffer.concat([Buffer.from('PAR1'), junk, Buffer.from('PAR1')]));
  // One that makes the decoder panic: the worker's wasm stops (panic = "abort").
  execFileSync('cargo', ['run', '--quiet', '-p', 'member-parquet', '--example', 'write_panicking', '--', path.join(dir, 'stops.parquet')]);
  app = await startApp();
});
after(async () => app?.close());

/// Every URL the page or its workers ask for.
function recordRequests(page, context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  page.on('worker', (w) => urls.push(w.url()));
  return urls;
}

test('the page at start does not fetch the Parquet reader', async () => {
  const { page, context, errors } = await app.open({ ready: false });
  const urls = recordRequests(page, context);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
  assert.ok(urls.some((u) => /_bg\.wasm/.test(u)), 'the app wasm was seen');
  assert.deepEqual(urls.filter((u) => /parquet/.test(u)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Parquet file goes through the mapping screen to the report', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  const urls = recordRequests(page, context);
  await page.getByTestId('file-input').setInputFiles(path.join(dir, 'sales.parquet'));
  await page.getByTestId('mapping').waitFor();
  assert.ok(urls.some((u) => /parquet-worker_bg\.wasm/.test(u)), 'the reader is fetched when the file arrives');
  const table = page.getByTestId('table-mapping');
  assert.equal(await table.count(), 1);
  const text = await table.textContent();
  assert.match(text, /sales\.parquet\.csv/);
  for (const column of ['member_id', 'date', 'amount']) assert.match(text, new RegExp(column));
  assert.equal(await page.getByTestId('map-0-0').inputValue(), 'member_id');
  assert.equal(await page.getByTestId('map-0-1').inputValue(), 'date');
  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => window.memberDashboard.report().dataset === 'sales.parquet.csv');
  const report = await page.evaluate(() => window.memberDashboard.report());
  assert.equal(report.members, new Set(ROWS.map((r) => r[0])).size);
  assert.equal(report.transactions, ROWS.length);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [file, words, stops] of [
  ['sales-zstd.parquet', /sales-zstd\.parquet: could not be read \(the file is compressed with ZSTD.*SNAPPY/, false],
  ['damaged.parquet', /damaged\.parquet: could not be read \(the Parquet file is damaged/, false],
  ['stops.parquet', /stops\.parquet: could not be read \(the Parquet file is damaged/, true],
]) {
  test(`${file} shows why, and the page is not left busy`, async () => {
    const { page, context, errors } = await app.open({ hash: '#/data' });
    await page.getByTestId('file-input').setInputFiles(path.join(dir, file));
    await page.getByTestId('error').waitFor();
    assert.match(await page.getByTestId('error').textContent(), words);
    await page.waitForFunction(() => !window.memberDashboard.report().busy);
    assert.equal(await page.getByTestId('progress').count(), 0);
    // The automation interface rejects with the same words; the demo stays loaded.
    const rejected = await page.evaluate(async (bytes) => {
      try {
        await window.memberDashboard.load([new File([new Uint8Array(bytes)], 'again.parquet')]);
        return null;
      } catch (e) {
        return e.message;
      }
    }, [...readFileSync(path.join(dir, file))]);
    assert.match(rejected ?? '', /again\.parquet: could not be read/);
    assert.equal(await page.evaluate(() => window.memberDashboard.report().busy), false);
    // Only a worker that stopped reports to the console (the decoder's panic, once per file).
    assert.deepEqual(errors.filter((e) => !(stops && /^(console|worker): panicked at .*parquet/s.test(e))), []);
    await context.close();
  });
}
