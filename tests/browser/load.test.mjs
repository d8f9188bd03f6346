// Loading exports through the page: files into the file input, the mapping screen, then the
// counts on the Overview and the rejected rows on the Data page; and window.memberDashboard.load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';

let app;
let fixtures;
before(async () => {
  // The same fixtures the native import tests read (tests/common/fixtures.rs).
  const dir = mkdtempSync(path.join(tmpdir(), 'md-fixtures-'));
  execFileSync('cargo', ['run', '--quiet', '-p', 'member-engine', '--example', 'write_fixtures', '--', dir]);
  fixtures = { gbk: path.join(dir, 'sales-gbk.csv'), xlsx: path.join(dir, 'members.xlsx') };
  app = await startApp();
});
after(async () => app?.close());

const reportOf = (page) => page.evaluate(() => window.memberDashboard.report());

test('a GBK CSV and an xlsx go through the mapping screen to the Overview and the Data page', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  await page.getByTestId('file-input').setInputFiles([fixtures.xlsx, fixtures.gbk]);
  const mapping = page.getByTestId('mapping');
  await mapping.waitFor();
  const tables = page.getByTestId('table-mapping');
  assert.equal(await tables.count(), 3, 'two sheets and the CSV');
  // The CSV (third table): GBK decoded, title row skipped, columns matched from Chinese headers.
  const csv = tables.nth(2);
  assert.match(await csv.textContent(), /sales-gbk\.csv.*GBK\/GB18030, comma-separated/s);
  assert.match(await csv.textContent(), /会员卡号/);
  assert.equal(await page.getByTestId('map-2-0').inputValue(), 'member_id');
  assert.equal(await page.getByTestId('map-2-1').inputValue(), 'date');
  assert.equal(await page.getByTestId('map-2-3').inputValue(), 'paid');
  // The notes sheet is not read; the members sheet is.
  assert.equal(await page.getByTestId('include-1').isChecked(), false);
  assert.equal(await page.getByTestId('role-0').inputValue(), 'members');
  // Unmapping the date makes Load impossible and says why; mapping it again allows it.
  await page.getByTestId('map-2-1').selectOption('');
  assert.match(await page.getByTestId('mapping-problems').textContent(), /sales-gbk\.csv: no column is mapped to “Date”/);
  assert.equal(await page.getByTestId('mapping-load').isDisabled(), true);
  await page.getByTestId('map-2-1').selectOption('date');
  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => window.memberDashboard.report().dataset === 'members.xlsx, sales-gbk.csv');
  const report = await reportOf(page);
  // Members: 00123, 88001, 88002 from the workbook, 88005 only in the sales; 6 of 8 sales rows
  // are used, and two of them are lines of one order (NO1), so 5 transactions.
  assert.equal(report.members, 4);
  assert.equal(report.transactions, 5);
  // The Data page lists each rejected row with its row, column and value.
  const skipped = await page.locator('table.problems tbody tr:not(.kept)').allTextContents();
  assert.deepEqual(skipped.map((r) => r.replace(/(yes|no|是|否)$/, '')), [
    '6会员卡号00123member id already on an earlier row; the first is kept',
    '8消费时间昨天not a date',
    '9实收金额abcnot an amount',
  ]);
  assert.equal(await page.getByTestId('download-problems').isVisible(), true);
  // In Chinese, the reasons are Chinese too.
  await page.getByTestId('lang-switch').click();
  const zh = await page.locator('table.problems tbody tr:not(.kept)').allTextContents();
  assert.match(zh[1], /^8消费时间昨天不是有效日期否$/);
  await page.getByTestId('lang-switch').click();
  // The problems download is a UTF-8 CSV with a BOM.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-problems').click()]);
  const text = await new Promise((resolve) => download.createReadStream().then((s) => { let b = ''; s.on('data', (d) => (b += d)); s.on('end', () => resolve(b)); }));
  // In the page's language (English here): its column names and reasons.
  assert.ok(text.startsWith('\uFEFFFile,Row,Column,Value,Reason,Row used'), text.slice(0, 60));
  assert.match(text, /sales-gbk\.csv,9,实收金额,abc,not an amount,no/);
  await page.locator('.app-nav a[data-page="overview"]').click();
  assert.equal(await page.locator('[data-kpi="members"] .kpi-value').textContent(), '4');
  assert.equal(await page.getByTestId('demo-banner').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the mapping chosen is remembered for a file with the same header', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  await page.getByTestId('file-input').setInputFiles([fixtures.gbk]);
  await page.getByTestId('mapping').waitFor();
  // Ignore the category column (项目, column 5) and load.
  await page.getByTestId('map-0-4').selectOption('');
  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => window.memberDashboard.report().dataset === 'sales-gbk.csv');
  await page.getByTestId('file-input').setInputFiles([fixtures.gbk]);
  await page.getByTestId('mapping').waitFor();
  assert.equal(await page.getByTestId('map-0-4').inputValue(), '');
  assert.match(await page.getByTestId('mapping').textContent(), /remembered/);
  await page.getByTestId('mapping-cancel').click();
  assert.equal(await page.getByTestId('mapping').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('memberDashboard.load(files) resolves with the load report, and rejects a file it cannot map', async () => {
  const { page, context, errors } = await app.open();
  const csv = ['会员卡号,消费时间,实收金额', 'A001,2025-01-05,100', 'A001,2025-02-10,"1,200.00"', ',2025-02-12,35', 'C003,not a date,50'].join('\n');
  const outcome = await page.evaluate(async (text) => window.memberDashboard.load([new File([text], 'api.csv')]), csv);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.members, 1);
  assert.equal(outcome.transactions, 3);
  const f = outcome.files[0];
  assert.deepEqual([f.rows_read, f.rows_used, f.rows_skipped, f.walk_in_rows], [4, 3, 1, 1]);
  assert.deepEqual(f.problems[0], { row: 5, column: '消费时间', value: 'not a date', kept: false, code: 'not_a_date' });
  assert.equal((await reportOf(page)).files[0].name, 'api.csv');
  const failure = await page.evaluate(async () => {
    try { await window.memberDashboard.load([new File(['name,colour\nx,y\n'], 'wrong.csv')]); return 'resolved'; } catch (e) { return e.message; }
  });
  assert.equal(failure, 'wrong.csv: no column is mapped to member id');
  assert.ok(await page.getByTestId('error').isVisible(), 'the page shows the error too');
  assert.deepEqual(errors, []);
  await context.close();
});
