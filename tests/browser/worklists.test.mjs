// The Work lists page on a small file whose lists this test works out itself: a card per list
// with its count, lists the data cannot make greyed with the reason, each list opening the
// Members page filtered by it (the filter in the URL, the same total), a usage cycle edited
// changing the replenishment list, and the page usable by keyboard, on a phone and in Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

// member, day, paid, category. The last day (2026-06-30) is the analysis date D.
const ROWS = [
  ['Z', '2026-01-10', 100, '手链'], ['Z', '2026-06-30', 100, '手链'],
  // 333 follow-up: first purchases 3, 21 and 90 days before D, and near misses.
  ['F3a', '2026-06-27', 120, '手链'], ['F3b', '2026-06-27', 80, '手链'],
  ['X2', '2026-06-28', 50, '手链'], ['X4', '2026-06-26', 50, '手链'],
  ['F21', '2026-06-09', 300, '手链'], ['F21', '2026-06-20', 100, '手链'],
  ['X22', '2026-06-08', 60, '手链'],
  ['F90a', '2026-04-01', 100, '手链'], ['F90b', '2026-04-01', 200, '手链'], ['F90b', '2026-05-15', 50, '手链'],
  ['F90c', '2026-04-01', 90, '手链'], ['X91', '2026-03-31', 70, '手链'],
  // Replenishment of 洁面 (usual cycle 80 days): the last purchase is what counts.
  ['R1', '2025-12-01', 100, '手链'], ['R1', '2026-04-11', 150, '洁面'],
  ['R2', '2025-11-01', 100, '手链'], ['R2', '2026-04-05', 150, '洁面'],
  ['R3', '2025-10-01', 100, '手链'], ['R3', '2026-03-01', 150, '洁面'],
  ['R4', '2025-09-01', 100, '手链'], ['R4', '2026-04-10', 150, '洁面'], ['R4', '2026-06-20', 150, '洁面'],
  ['R5', '2025-08-01', 100, '手链'], ['R5', '2026-04-18', 150, '洁面'],
];
const CSV = ['会员卡号,消费时间,实收金额,品类', ...ROWS.map((r) => r.join(','))].join('\n');
const D = '2026-06-30';

const day = (text) => Date.parse(`${text}T00:00:00Z`) / 86_400_000;
const dayD = day(D);

/// Members whose first purchase was exactly `back` days before D.
function followUp(back) {
  const first = new Map();
  for (const [m, d] of ROWS) first.set(m, Math.min(first.get(m) ?? Infinity, day(d)));
  return [...first.values()].filter((f) => f === dayD - back).length;
}

/// Members whose last 洁面 purchase plus `cycle` days falls from `window` days before D to
/// `window` − 1 days after it (the engine's rule, WorkListKey::Replenish).
function replenish(cycle, window = 7) {
  const last = new Map();
  for (const [m, d, , c] of ROWS) if (c === '洁面') last.set(m, Math.max(last.get(m) ?? -Infinity, day(d)));
  return [...last.values()].filter((l) => l + cycle >= dayD - window && l + cycle <= dayD + window - 1).length;
}

/// The 3-3-3 parts' list keys as the page names them (3 days, 3 weeks, 3 months).
const followUpKeys = (page) => page.locator('[data-group=follow_up] [data-list]').evaluateAll((els) => els.map((e) => e.dataset.list));

const count = async (page, list) => Number(await page.locator(`[data-list=${list}] [data-count]`).first().getAttribute('data-count'));

/// Opens the page with the test's file loaded and its lists counted.
async function openLoaded(options = {}) {
  const opened = await app.open({ hash: '#/work-lists', ...options });
  const { page } = opened;
  await page.evaluate((text) => window.memberDashboard.load([new File([text], 'lists.csv')]), CSV);
  await page.waitForFunction((d) => document.querySelector('[data-testid=wl-date]')?.dataset.date === d
    && document.querySelector('[data-list=replenish]'), D);
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  return opened;
}

test('a card per list with the counts of the file; lists the data cannot make say why', async () => {
  const { page, context, errors } = await openLoaded();
  assert.equal(await page.getByTestId('wl-date').textContent(), `As of ${D}`);
  const [days3, weeks3, months3] = await followUpKeys(page);
  assert.match(days3, /^follow_up_?3_days$/);
  const expected = { [days3]: followUp(3), [weeks3]: followUp(21), [months3]: followUp(90), replenish: replenish(80) };
  assert.deepEqual(Object.values(expected), [2, 1, 3, 2], 'the fixture as designed');
  for (const [list, n] of Object.entries(expected)) assert.equal(await count(page, list), n, list);
  // Every list of the engine is on the page once.
  const lists = await page.locator('[data-list]').evaluateAll((els) => els.map((e) => e.dataset.list));
  assert.equal(new Set(lists).size, lists.length);
  assert.equal(lists.length, 16);
  if (typeof (await page.evaluate(() => window.memberDashboard.workLists)) === 'function') {
    const fromScript = await page.evaluate(() => window.memberDashboard.workLists());
    for (const [list, n] of Object.entries(expected)) {
      const l = (fromScript.lists ?? fromScript).find((x) => x.key === list);
      assert.equal(l.count ?? l.members, n, `workLists() ${list}`);
    }
  }
  // The 3-3-3 follow-up is one card with three parts, not "333 calls".
  const fu = page.locator('[data-group=follow_up]');
  assert.match(await fu.textContent(), /^3-3-3 follow-up3 days · 3 weeks · 3 months after the first purchase/);
  assert.match(await page.locator(`[data-list=${days3}]`).textContent(), /First purchase on 2026-06-27, 3 days ago/);
  // Rules carry the settings in force.
  assert.match(await page.locator('[data-list=replenish] .wl-rule').textContent(), /within 7 days of today/);
  // No birthdays or points in a sales file: greyed with the reason, not a zero.
  const birthdays = page.locator('[data-list=birthday_week]');
  assert.equal(await birthdays.getAttribute('data-available'), 'false');
  assert.equal(await birthdays.locator('[data-count]').count(), 0);
  assert.equal(await birthdays.locator('.wl-rule').textContent(), 'The data has no birthdays');
  assert.equal(await page.locator('[data-list=points_large] .wl-rule').textContent(), 'The data has no points');
  assert.equal(await page.getByTestId('open-birthday_week').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a list opens the Members page filtered by it, with the same total; back returns', async () => {
  const { page, context, errors } = await openLoaded();
  const [, weeks3, months3] = await followUpKeys(page);
  const n = await count(page, months3);
  assert.equal(n, followUp(90));
  await page.getByTestId(`open-${months3}`).click();
  await page.waitForFunction(() => location.hash.startsWith('#/members?filter='));
  const filter = await page.evaluate(() => JSON.parse(decodeURIComponent(location.hash.split('filter=')[1])));
  assert.deepEqual(filter, { all: [{ by: 'work_list', list: months3 }] });
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid=member-total]')?.dataset.total) === k, n);
  await page.goBack();
  await page.getByTestId('worklists-page').waitFor();
  // By keyboard: Tab reaches "Open list", Enter opens it.
  const open = page.getByTestId(`open-${weeks3}`);
  await open.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((k) => location.hash.includes(k), weeks3);
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid=member-total]')?.dataset.total) === k, followUp(21));
  assert.deepEqual(errors, []);
  await context.close();
});

test('editing a usage cycle changes the replenishment list; clearing it goes back', async () => {
  const { page, context, errors } = await openLoaded();
  const row = page.locator('[data-testid=wl-cycles] tr[data-category=洁面]');
  assert.match(await row.textContent(), /^洁面80 days—/);
  assert.equal(await row.locator('input').inputValue(), '80');
  assert.equal(Number(await row.locator('[data-due]').getAttribute('data-due')), replenish(80));
  await row.locator('input').fill('120');
  await row.locator('input').press('Enter');
  await row.locator('input').blur();
  const after = replenish(120);
  assert.equal(after, 1, 'the fixture as designed');
  await page.waitForFunction((k) => Number(document.querySelector('[data-list=replenish] [data-count]')?.dataset.count) === k, after);
  assert.equal(Number(await page.locator('[data-testid=wl-cycles] tr[data-category=洁面] [data-due]').getAttribute('data-due')), after);
  assert.equal(await page.locator('[data-testid=wl-cycles] tr[data-category=洁面] input').inputValue(), '120');
  // A category without a usual cycle (a bracelet) has none in force, and nothing learned from
  // so few repeat purchases.
  const bracelet = page.locator('[data-testid=wl-cycles] tr[data-category=手链]');
  assert.equal(await bracelet.locator('input').inputValue(), '');
  assert.equal(await bracelet.locator('button').isDisabled(), true);
  // Clearing the cycle goes back to the usual one.
  const input = page.locator('[data-testid=wl-cycles] tr[data-category=洁面] input');
  await input.fill('');
  await input.press('Enter');
  await input.blur();
  await page.waitForFunction((k) => Number(document.querySelector('[data-list=replenish] [data-count]')?.dataset.count) === k, replenish(80));
  // The reminder window is a setting too: 45 days either side also takes in R3 (ran out on
  // 2026-05-20) and R5 (runs out on 2026-07-07).
  const windowInput = page.locator('input[data-setting=replenish_window_days]');
  await windowInput.fill('45');
  await windowInput.press('Enter');
  await windowInput.blur();
  await page.waitForFunction((k) => Number(document.querySelector('[data-list=replenish] [data-count]')?.dataset.count) === k, replenish(80, 45));
  assert.equal(replenish(80, 45), 4, 'the fixture as designed');
  assert.match(await page.locator('[data-list=replenish] .wl-rule').textContent(), /within 45 days/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the cards stack and nothing scrolls sideways; in Chinese no English', async () => {
  const { page, context, errors } = await openLoaded({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const boxes = await page.locator('.wl-grid').first().locator(':scope > .wl-card').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width };
  }));
  assert.ok(boxes.length >= 3);
  for (const b of boxes) assert.equal(b.x, boxes[0].x, 'one column');
  assert.ok(boxes[1].y > boxes[0].y);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll');
  assert.equal(await page.getByTestId('wl-date').textContent(), `截至 ${D}`);
  assert.match(await page.locator('[data-group=follow_up]').textContent(), /^3-3-3 回访首次购买后 3天 · 3周 · 3个月/);
  // Pyramid layers are named by their letters in both languages (金字塔A、B层).
  const text = (await page.locator('.worklists-page').evaluate((e) => e.innerText)).replace(/A、B层/g, '');
  assert.doesNotMatch(text, /[A-Za-z]/, text.match(/.{0,20}[A-Za-z].{0,20}/)?.[0]);
  assert.deepEqual(errors, []);
  await context.close();
});
