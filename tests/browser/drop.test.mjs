// Files dropped on the page: an overlay while files are dragged, then the mapping screen on the
// Data page and the load; text dragged over the page shows nothing and loads nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

// Three members' sales; the counts the load must give are worked out from these rows below.
const rows = [
  ['A001', '2025-01-05', '100'],
  ['A001', '2025-02-10', '200'],
  ['B002', '2025-03-01', '50'],
  ['C003', '2025-03-02', '75'],
  ['C003', '2025-04-20', '30'],
];
const csv = ['会员卡号,消费时间,实收金额', ...rows.map((r) => r.join(','))].join('\n');
const expected = { members: new Set(rows.map((r) => r[0])).size, transactions: rows.length };

/// Dispatches a drag event on document.body carrying either a CSV file or plain text.
const drag = (page, type, what) => page.evaluate(([type, what, csv]) => {
  const dt = new DataTransfer();
  if (what === 'file') dt.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
  else dt.setData('text/plain', 'just some text');
  document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
}, [type, what, csv]);

test('a dropped CSV goes through the mapping screen and loads; text does nothing', async () => {
  const { page, context, errors } = await app.open();
  const overlay = page.getByTestId('drop-overlay');
  const before = await page.evaluate(() => window.memberDashboard.report().dataset);

  // Text dragged and dropped: no overlay, no mapping, still on the Overview.
  await drag(page, 'dragenter', 'text');
  await drag(page, 'dragover', 'text');
  assert.equal(await overlay.count(), 0);
  await drag(page, 'drop', 'text');
  assert.equal(await page.getByTestId('mapping').count(), 0);
  assert.equal(await page.evaluate(() => location.hash), '');

  // Files: the overlay shows; Escape and dragleave take it away.
  await drag(page, 'dragenter', 'file');
  await overlay.waitFor({ state: 'visible' });
  assert.equal(await overlay.textContent(), 'Drop files to load them');
  await page.keyboard.press('Escape');
  await overlay.waitFor({ state: 'detached' });
  await drag(page, 'dragenter', 'file');
  await overlay.waitFor({ state: 'visible' });
  await drag(page, 'dragleave', 'file');
  await overlay.waitFor({ state: 'detached' });

  // Dropped: the overlay goes, the Data page opens on the mapping screen with the file.
  await drag(page, 'dragenter', 'file');
  await overlay.waitFor({ state: 'visible' });
  await drag(page, 'drop', 'file');
  await overlay.waitFor({ state: 'detached' });
  const mapping = page.getByTestId('mapping');
  await mapping.waitFor();
  assert.match(await mapping.textContent(), /dropped\.csv/);
  assert.equal(await page.evaluate(() => location.hash), '#/data');
  assert.equal(await page.evaluate(() => window.memberDashboard.report().dataset), before, 'nothing loaded before Load');

  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => window.memberDashboard.report().dataset === 'dropped.csv');
  const report = await page.evaluate(() => window.memberDashboard.report());
  assert.equal(report.members, expected.members);
  assert.equal(report.transactions, expected.transactions);
  assert.deepEqual(errors, []);
  await context.close();
});

test('in zh-CN the overlay speaks Chinese', async () => {
  const { page, context, errors } = await app.open({ locale: 'zh-CN' });
  await drag(page, 'dragenter', 'file');
  const overlay = page.getByTestId('drop-overlay');
  await overlay.waitFor({ state: 'visible' });
  const text = await overlay.textContent();
  const zh = JSON.parse(readFileSync(new URL('../../locales/zh-CN.json', import.meta.url), 'utf8'));
  assert.equal(text, zh.drop_files_here);
  assert.match(text, /[\u4e00-\u9fff]/);
  assert.doesNotMatch(text, /[A-Za-z]/);
  await drag(page, 'dragleave', 'file');
  await overlay.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});
