// Segments and Pyramid pages: a click on an RFM heat-map cell lists that cell's members (the
// count read from the heat map's table view); the tiers are reordered with their arrows (by
// keyboard too), the order is saved and survives a reload, and "use the default order" undoes
// it; tiers named by rank (普通会员 < 银卡 < 金卡 < 白金卡 < 钻石卡) are shown in rank order even
// when their members' spend would order them the other way round.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const idle = (page) => page.waitForFunction(() => { const r = window.memberDashboard.report(); return r.ready && !r.busy; });
const report = async (page) => { await idle(page); return page.evaluate(() => window.memberDashboard.report()); };
const waitTotal = (page, n) =>
  page.waitForFunction((n) => document.querySelector('[data-testid=member-total]')?.dataset.total === String(n), n, { timeout: 20_000 });

/// The heat map's table view as rows of cells (R, F, members, mean spend).
async function heatTable(page) {
  const card = page.getByTestId('rfm-heatmap');
  if (!(await card.locator('details.table-view').evaluate((d) => d.open))) await card.locator('details.table-view summary').click();
  return card.locator('details.table-view tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
}

test('a heat-map cell opens its members: as many as the table view says', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments' });
  await idle(page);
  const rows = await heatTable(page);
  assert.equal(rows.length, 25, 'five R scores by five F scores');
  const count = (row) => Number(row[2].replace(/,/g, ''));
  // The fullest cell, and one other non-empty cell, so that the two counts differ.
  const sorted = [...rows].sort((a, b) => count(b) - count(a));
  const [r, f] = sorted[0].slice(0, 2).map(Number);
  const expected = count(sorted[0]);
  assert.ok(expected > 0);

  // The chart: click the middle of the cell (column F − 1, row R − 1).
  await page.locator('[data-testid=rfm-heatmap] canvas').first().scrollIntoViewIfNeeded();
  const at = await page.evaluate(([r, f]) => {
    const el = document.querySelector('[data-testid=rfm-heatmap] canvas').closest('[_echarts_instance_]');
    const [x, y] = window.echarts.getInstanceByDom(el).convertToPixel({ seriesIndex: 0 }, [f - 1, r - 1]);
    const box = el.getBoundingClientRect();
    return [box.left + x, box.top + y];
  }, [r, f]);
  await page.mouse.click(at[0], at[1]);
  await page.waitForFunction(() => location.hash.startsWith('#/members'));
  await waitTotal(page, expected);
  const filter = JSON.parse(decodeURIComponent((await page.evaluate(() => location.hash)).split('filter=')[1]));
  assert.deepEqual(filter.all, [{ by: 'r_score', any: [r] }, { by: 'f_score', any: [f] }]);
  // The list says where it came from.
  assert.match(await page.locator('.page').first().textContent(), new RegExp(`R ${r} · F ${f}`));

  // The table view's members cell does the same (by keyboard too).
  await page.goto(`${app.base}#/segments`);
  await idle(page);
  const other = sorted.find((row) => count(row) > 0 && count(row) !== expected);
  if (other) {
    await heatTable(page);
    const cell = page.locator('[data-testid=rfm-heatmap] details.table-view tbody tr').nth(rows.indexOf(other)).getByTestId('table-cell-link');
    await cell.focus();
    await page.keyboard.press('Enter');
    await waitTotal(page, count(other));
  }
  assert.deepEqual(errors, []);
  await context.close();
});

const tierRows = (page) => page.locator('[data-testid=tiers-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.tier));

test('tiers are reordered with their arrows; the order is saved, survives a reload and can be reset', async () => {
  const { page, context, errors } = await app.open({ hash: '#/pyramid' });
  await idle(page);
  const before = await tierRows(page);
  assert.ok(before.length >= 3, `the demo has tiers: ${before}`);
  assert.equal(await page.getByTestId('tier-lower-0').isDisabled(), true, 'the lowest cannot go lower');
  assert.equal(await page.getByTestId(`tier-higher-${before.length - 1}`).isDisabled(), true);
  // The tier spend inputs say ¥.
  assert.equal((await page.locator('[data-testid=tiers-table] .money-input .unit').first().textContent()).trim(), '¥');

  // By keyboard: the second tier one place lower.
  await page.getByTestId('tier-lower-1').focus();
  await page.keyboard.press('Enter');
  const want = [before[1], before[0], ...before.slice(2)];
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('[data-testid=tiers-table] tbody tr')].map((r) => r.dataset.tier)) === JSON.stringify(want), want);
  assert.deepEqual((await report(page)).settings.tier_order, want);
  // The focus stays with the moved tier (its other arrow: it is now the lowest).
  assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.tier), before[1]);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tier-higher-0');
  assert.equal(await page.getByTestId('tier-order-custom').count(), 1);

  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
  await idle(page);
  assert.deepEqual(await tierRows(page), want, 'the order survives a reload');
  assert.deepEqual((await report(page)).settings.tier_order, want);

  await page.getByTestId('tier-order-reset').click();
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('[data-testid=tiers-table] tbody tr')].map((r) => r.dataset.tier)) === JSON.stringify(want), before);
  assert.deepEqual((await report(page)).settings.tier_order, []);
  assert.equal(await page.getByTestId('tier-order-custom').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

// Two members per tier; the higher the rank, the less they spent (all within the last year).
const RANKED = ['普通会员', '银卡', '金卡', '白金卡', '钻石卡'];
const membersCsv = () => ['会员卡号,会员等级', ...RANKED.flatMap((t, i) => [`M${i}a,${t}`, `M${i}b,${t}`])].join('\n');
const salesCsv = () => ['会员卡号,消费时间,实收金额', ...RANKED.flatMap((_, i) => {
  const yuan = (5 - i) * 1000;
  return [`M${i}a,2025-03-0${i + 1},${yuan}.00`, `M${i}b,2025-05-1${i},${yuan + 100}.00`];
}), 'M0a,2025-06-30,10.00'].join('\n');

test('tiers named by rank are in rank order though spend says otherwise', async () => {
  const { page, context, errors } = await app.open({ hash: '#/pyramid' });
  await page.evaluate(async ([m, t]) => window.memberDashboard.load([new File([m], 'members.csv'), new File([t], 'sales.csv')]), [membersCsv(), salesCsv()]);
  await idle(page);
  // By spend the order would be the reverse: 钻石卡 spent least.
  const bySpend = [...RANKED].reverse();
  assert.notDeepEqual(bySpend, RANKED);
  assert.deepEqual(await tierRows(page), RANKED);
  assert.deepEqual(errors, []);
  await context.close();
});
