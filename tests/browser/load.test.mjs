// Loading a file through the page's file input and through window.memberDashboard.load().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const CSV = [
  '会员卡号,消费时间,实收金额,项目,门店',
  'A001,2025-01-05,100.00,面霜,静安店',
  'A001,2025-02-10,"1,200.00",精华,静安店',
  'B002,2025-02-11,80,面膜,徐汇店',
  ',2025-02-12,35,面膜,徐汇店',
  'C003,not a date,50,洁面,徐汇店',
  'C003,2025-02-20,abc,洁面,徐汇店',
].join('\n');

test('a CSV put into the file input replaces the demo; rejected rows are listed', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  await page.getByTestId('file-input').setInputFiles({ name: 'sales.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.waitForFunction(() => window.memberDashboard.report().dataset === 'sales.csv');
  const report = await page.evaluate(() => window.memberDashboard.report());
  assert.equal(report.is_demo, false);
  assert.equal(report.members, 2); // A001, B002 (the walk-in is no member; C003's rows were rejected)
  assert.equal(report.transactions, 4);
  const f = report.files[0];
  assert.deepEqual([f.rows_read, f.rows_used, f.rows_skipped, f.walk_in_rows], [6, 4, 2, 1]);
  const rows = await page.locator('table.problems tbody tr').allTextContents();
  assert.deepEqual(rows, ['6消费时间not a datenot a date', '7实收金额abcnot an amount']);
  assert.equal(await page.getByTestId('demo-banner').count(), 0);
  // And the Overview follows.
  await page.locator('.app-nav a[data-page="overview"]').click();
  assert.equal(await page.locator('[data-kpi="members"] .kpi-value').textContent(), '2');
  assert.equal(await page.locator('[data-kpi="revenue_12m_cents"] .kpi-value').textContent(), '¥1,415');
  assert.deepEqual(errors, []);
  await context.close();
});

test('memberDashboard.load(files) resolves with the load outcome, and rejects a bad file', async () => {
  const { page, context, errors } = await app.open();
  const outcome = await page.evaluate(async (csv) => {
    const file = new File([csv], 'api.csv', { type: 'text/csv' });
    return window.memberDashboard.load([file]);
  }, CSV);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.members, 2);
  assert.equal(outcome.files[0].rows_skipped, 2);
  const failure = await page.evaluate(async () => {
    const file = new File(['name,colour\nx,y\n'], 'wrong.csv');
    try { await window.memberDashboard.load([file]); return 'resolved'; } catch (e) { return e.message; }
  });
  assert.match(failure, /wrong\.csv: the header \(name, colour\) has no date column/);
  assert.ok(await page.getByTestId('error').isVisible(), 'the page shows the error too');
  assert.deepEqual(errors, []);
  await context.close();
});
