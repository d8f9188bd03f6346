// Remembering in the browser: "Keep this data on this device" brings a loaded data set back
// after a reload (with its load report), settings, a mapping, a saved filter and the analysis
// date survive a reload, "Forget all data" leaves nothing of ours in storage, and a storage
// refusal is said without stopping the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';

// A small data set whose figures the test knows: four members; seven sales rows, one of them
// with a date that is not one (skipped), so six transactions.
const members = [
  ['M1', 'Ann', '2023-01-10'],
  ['M2', 'Bo', '2023-03-02'],
  ['M3', 'Cy', '2023-05-20'],
  ['M4', 'Di', '2023-07-15'],
];
const sales = [
  ['M1', '2024-01-05', '120.00', 'Tea'],
  ['M1', '2024-04-11', '80.50', 'Tea'],
  ['M1', '2024-11-20', '45.00', 'Cakes'],
  ['M2', '2024-02-14', '300.00', 'Gifts'],
  ['M2', '2024-09-01', '66.00', 'Tea'],
  ['M3', '2024-06-30', '19.90', 'Cakes'],
  ['M4', 'yesterday', '10.00', 'Tea'],
];
const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s);
const expected = {
  members: new Set(members.map((m) => m[0])).size,
  transactions: sales.filter((s) => isDate(s[1])).length,
  salesRead: sales.length,
  salesSkipped: sales.filter((s) => !isDate(s[1])).length,
};
const csv = (head, rows) => [head, ...rows.map((r) => r.join(','))].join('\n') + '\n';
const membersCsv = csv('member_id,name,join_date', members);
const salesCsv = csv('member_id,date,amount,category', sales);
// The panel's size: under 1 KB, so in bytes.
const keptBytes = Buffer.byteLength(membersCsv) + Buffer.byteLength(salesCsv);

let app;
let files;
before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'md-keep-'));
  files = { members: path.join(dir, 'members.csv'), sales: path.join(dir, 'sales.csv') };
  writeFileSync(files.members, membersCsv);
  writeFileSync(files.sales, salesCsv);
  assert.ok(keptBytes < 1024);
  app = await startApp();
});
after(async () => app?.close());

const reportOf = (page) => page.evaluate(() => window.memberDashboard.report());
const whenIdle = (page) => page.evaluate(() => window.memberDashboard.whenIdle());
const ourKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('member-dashboard.')).sort());
const databases = (page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

/// A page in a new context whose scripts `init` runs before the app (to break storage).
async function openWith(init) {
  const context = await app.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(app.base + '#/data');
  await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
  return { page, context, errors };
}

/// Loads the two files through the mapping screen, the category column left out.
async function loadThroughMapping(page) {
  await page.getByTestId('file-input').setInputFiles([files.members, files.sales]);
  await page.getByTestId('mapping').waitFor();
  assert.equal(await page.getByTestId('role-0').inputValue(), 'members');
  assert.equal(await page.getByTestId('role-1').inputValue(), 'transactions');
  await page.getByTestId('map-1-3').selectOption('');
  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => { const r = window.memberDashboard.report(); return r.ready && !r.is_demo; });
  await whenIdle(page);
}

test('a kept data set comes back after a reload with its load report; settings, a mapping, a saved filter and the analysis date too', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  assert.equal(await page.getByTestId('keep-toggle').isChecked(), false, 'off by default');
  await loadThroughMapping(page);
  const loaded = await reportOf(page);
  assert.equal(loaded.members, expected.members);
  assert.equal(loaded.transactions, expected.transactions);
  // Keep turned on after the load keeps the data set loaded.
  await page.getByTestId('keep-toggle').check();
  await page.waitForFunction(() => /Kept on this device only/.test(document.querySelector('[data-testid=keep-status]')?.textContent));
  const status = await page.getByTestId('keep-status').textContent();
  assert.match(status, new RegExp(`^Kept on this device only: ${loaded.dataset} \\(${keptBytes} B\\), kept \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\.$`));
  // A setting, the analysis date and a saved filter.
  await page.evaluate(() => window.memberDashboard.setSettings({ new_days: 60 }));
  await page.getByTestId('analysis-date-input').fill('2024-10-31');
  await page.waitForFunction(() => window.memberDashboard.report().analysis_date === '2024-10-31');
  await whenIdle(page);
  await page.locator('.app-nav a[data-page="members"]').click();
  await page.getByTestId('save-filter').click();
  await page.getByTestId('save-filter-name').fill('All of them');
  await page.getByTestId('save-filter-ok').click();
  await page.locator('.app-nav a[data-page="data"]').click();

  await page.reload();
  // The kept data set comes back by itself (not the demo), read again from its files.
  await page.waitForFunction((name) => window.memberDashboard?.report().dataset === name, loaded.dataset, { timeout: 30_000 });
  await whenIdle(page);
  await page.waitForFunction(() => window.memberDashboard.report().analysis_date === '2024-10-31');
  await whenIdle(page);
  const back = await reportOf(page);
  assert.equal(back.is_demo, false);
  assert.equal(back.members, expected.members);
  assert.equal(back.transactions, expected.transactions);
  assert.equal(back.settings.new_days, 60);
  assert.equal(back.analysis_date, '2024-10-31');
  assert.equal(back.error, null);
  // The Data page's load report, as after the first load.
  const salesReport = back.files.find((f) => f.name === 'sales.csv');
  assert.deepEqual([salesReport.rows_read, salesReport.rows_used, salesReport.rows_skipped], [expected.salesRead, expected.transactions, expected.salesSkipped]);
  assert.match(await page.locator('[data-testid=file-report][data-name="sales.csv"] [data-testid=report-counts]').textContent(),
    new RegExp(`^${expected.salesRead} rows read · ${expected.transactions} used · ${expected.salesSkipped} skipped`));
  assert.equal(await page.locator('table.problems tbody tr:not(.kept)').count(), expected.salesSkipped);
  assert.equal(await page.getByTestId('keep-toggle').isChecked(), true);
  assert.match(await page.getByTestId('keep-status').textContent(), new RegExp(`Kept on this device only: ${loaded.dataset} \\(${keptBytes} B\\)`));
  // The settings panel shows the saved setting; the header the chosen date.
  assert.equal(await page.getByTestId('analysis-date-input').inputValue(), '2024-10-31');
  // The saved filter.
  await page.locator('.app-nav a[data-page="members"]').click();
  await page.getByTestId('saved-filters').click();
  assert.deepEqual(await page.getByTestId('saved-filter').locator('button.link').allTextContents(), ['All of them']);
  // The mapping: the same file again opens with the category still left out, remembered.
  await page.locator('.app-nav a[data-page="data"]').click();
  await page.getByTestId('file-input').setInputFiles([files.sales]);
  await page.getByTestId('mapping').waitFor();
  assert.equal(await page.getByTestId('map-0-3').inputValue(), '');
  assert.match(await page.getByTestId('mapping').textContent(), /remembered/);
  await page.getByTestId('mapping-cancel').click();
  assert.deepEqual(errors, []);
  await context.close();
});

test('Forget all data, confirmed from the keyboard, leaves nothing in storage and shows the demo with the default settings', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  const defaults = (await reportOf(page)).settings;
  await page.getByTestId('keep-toggle').check();
  await loadThroughMapping(page);
  await page.waitForFunction(() => /Kept on this device only/.test(document.querySelector('[data-testid=keep-status]')?.textContent));
  await page.evaluate(() => window.memberDashboard.setSettings({ lost_days: 800 }));
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('lang-switch').click();
  assert.ok((await ourKeys(page)).length >= 5, `settings, language, mapping, keep and its record: ${await ourKeys(page)}`);
  assert.ok((await databases(page)).includes('member-dashboard'));

  // The confirmation opens on Cancel; Escape closes it and goes back to the button.
  await page.getByTestId('forget-all').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('forget-confirm-group').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'forget-cancel');
  await page.keyboard.press('Escape');
  await page.getByTestId('forget-all').waitFor();
  assert.equal(await page.getByTestId('forget-confirm-group').count(), 0);
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'forget-all');
  assert.ok((await ourKeys(page)).length >= 5, 'nothing removed on Escape');
  // Confirmed with the keyboard: back from Cancel to Forget, Enter.
  await page.keyboard.press('Enter');
  await page.getByTestId('forget-confirm-group').waitFor();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'forget-confirm');
  await page.keyboard.press('Enter');
  await page.getByTestId('forget-done').waitFor();
  assert.equal(await page.getByTestId('forget-done').textContent(), 'All data stored by this app on this device was removed.');
  await page.waitForFunction(() => window.memberDashboard.report().is_demo);
  await whenIdle(page);
  const after = await reportOf(page);
  assert.equal(after.is_demo, true);
  assert.deepEqual(after.settings, defaults);
  assert.deepEqual(await ourKeys(page), [], 'no key of ours in localStorage, also once the demo and its settings are in');
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('member-dashboard.'))), []);
  assert.deepEqual(await databases(page), []);
  assert.equal(await page.getByTestId('keep-toggle').isChecked(), false);

  // A reload starts as a first visit: the demo, keep off.
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
  const fresh = await reportOf(page);
  assert.equal(fresh.is_demo, true);
  assert.deepEqual(fresh.settings, defaults);
  assert.equal(await page.getByTestId('keep-toggle').isChecked(), false);
  assert.deepEqual(await ourKeys(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('storage refused: IndexedDB that throws is said in the panel, in the page\'s language, and the app goes on', async () => {
  const refuse = () => {
    IDBFactory.prototype.open = function () { throw new DOMException('refused by the test', 'SecurityError'); };
  };
  const { page, context, errors } = await openWith(refuse);
  await loadThroughMapping(page);
  await page.getByTestId('keep-toggle').check();
  await page.getByTestId('keep-problem').waitFor();
  assert.equal(await page.getByTestId('keep-problem').textContent(),
    "This browser's storage could not be used: this browser does not allow storing data here (private browsing, or storage turned off?): SecurityError: refused by the test");
  assert.match(await page.getByTestId('keep-status').textContent(), /^Nothing is kept yet/);
  assert.equal(await page.evaluate(() => localStorage.getItem('member-dashboard.kept')), null, 'no record of what is not kept');
  // The data set loaded stays and the pages work.
  const report = await reportOf(page);
  assert.equal(report.is_demo, false);
  assert.equal(report.members, expected.members);
  await page.locator('.app-nav a[data-page="overview"]').click();
  assert.equal(await page.locator('[data-kpi="members"] .kpi-value').textContent(), String(expected.members));

  // In Chinese, the panel says it in Chinese.
  await page.locator('.app-nav a[data-page="data"]').click();
  await page.getByTestId('lang-switch').click();
  assert.match(await page.getByTestId('keep-problem').textContent(), /^无法使用本浏览器的存储：此浏览器不允许在此保存数据/);
  await page.getByTestId('lang-switch').click();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a kept data set that cannot be read at start: the demo instead, and the banner says why', async () => {
  // Keep on and a record of a kept data set, but IndexedDB refuses to open.
  const init = () => {
    localStorage.setItem('member-dashboard.keep', 'on');
    localStorage.setItem('member-dashboard.kept', JSON.stringify({ name: 'lost.csv', files: [{ name: 'lost.csv', bytes: 10, modified: 0 }], kept_at: 0 }));
    IDBFactory.prototype.open = function () { throw new DOMException('refused by the test', 'SecurityError'); };
  };
  const { page, context, errors } = await openWith(init);
  await whenIdle(page);
  const report = await reportOf(page);
  assert.equal(report.is_demo, true);
  assert.equal(report.error,
    'the data set kept on this device (lost.csv) could not be opened again: this browser does not allow storing data here (private browsing, or storage turned off?): SecurityError: refused by the test; the demo is shown instead');
  assert.ok(await page.getByTestId('error').isVisible());
  assert.match(await page.getByTestId('keep-problem').textContent(), /SecurityError: refused by the test/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a full disk while keeping: said in the panel, nothing half kept', async () => {
  const full = () => {
    IDBObjectStore.prototype.put = function () { throw new DOMException('no room', 'QuotaExceededError'); };
  };
  const { page, context, errors } = await openWith(full);
  await page.getByTestId('keep-toggle').check();
  await loadThroughMapping(page);
  await page.getByTestId('keep-problem').waitFor();
  assert.equal(await page.getByTestId('keep-problem').textContent(), "This browser's storage could not be used: the browser's storage for this site is full");
  assert.equal(await page.evaluate(() => localStorage.getItem('member-dashboard.kept')), null);
  assert.deepEqual(await databases(page), [], 'what was begun is deleted');
  assert.equal((await reportOf(page)).is_demo, false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the analysis date chosen for the demo comes back with it after a reload', async () => {
  const { page, context, errors } = await app.open();
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  const latest = (await page.evaluate(() => window.memberDashboard.report())).analysis_date;
  // A day half a year before the demo's last one.
  const chosen = new Date(Date.parse(`${latest}T00:00:00Z`) - 183 * 86400e3).toISOString().slice(0, 10);
  await page.evaluate((d) => window.memberDashboard.setSettings({ analysis_date: d }), chosen);
  assert.equal((await page.evaluate(() => window.memberDashboard.report())).analysis_date, chosen);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.evaluate(() => window.memberDashboard.whenIdle());
  const back = await page.evaluate(() => window.memberDashboard.report());
  assert.equal(back.is_demo, true);
  assert.equal(back.analysis_date, chosen);
  // "Latest" again: the next reload is as of the demo's last day.
  await page.evaluate(() => window.memberDashboard.setSettings({ analysis_date: null }));
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.evaluate(() => window.memberDashboard.whenIdle());
  assert.equal((await page.evaluate(() => window.memberDashboard.report())).analysis_date, latest);
  assert.deepEqual(errors, []);
  await context.close();
});
