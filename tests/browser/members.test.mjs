// The Members page: the count of the filter in force, a filter built in the page (an RFM segment
// and a spend range), the filter in the URL (a reload reproduces the view; the back button returns
// to the chart a list was opened from), sorting, a virtualised table, keyboard use and saved filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, fmt, settledReport } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => app?.close());

const SAVED_KEY = 'member-dashboard.saved-filters.v1';

const report = settledReport;

/// Waits until the page shows the figures of `n` members (the worker has answered for the
/// filter in force), and that the rows drawn belong to it.
const waitTotal = (page, n) =>
  page.waitForFunction((n) => document.querySelector('[data-testid=member-total]')?.dataset.total === String(n), n);
const shownTotal = async (page) => {
  await page.waitForFunction(() => document.querySelector('[data-testid=member-total]')?.dataset.total !== undefined);
  return Number(await page.getByTestId('member-total').getAttribute('data-total'));
};
/// The filter the URL holds.
const urlFilter = (page) =>
  page.evaluate(() => {
    const m = location.hash.match(/[?&]filter=([^&]*)/);
    return m ? JSON.parse(decodeURIComponent(m[1])) : null;
  });

const addCondition = async (page, dim) => {
  await page.getByTestId('add-filter').click();
  await page.locator(`.add-panel button[data-dim="${dim}"]`).click();
  await page.locator(`[data-testid=condition-editor][data-by="${dim}"]`).waitFor();
};

test('every member is listed; the table keeps only the rows in view in the page', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  const r = await report(page);
  await waitTotal(page, r.members);
  assert.ok(r.members >= 1000, `the demo has thousands of members (${r.members})`);
  assert.equal(await page.getByTestId('member-share').textContent(), '100.0%');
  await page.locator('[data-testid=member-row]').first().waitFor();
  const inDom = await page.locator('.vt-row').count();
  assert.ok(inDom > 5 && inDom < 120, `${inDom} rows in the page for ${r.members} members`);
  assert.match(await page.locator('[data-testid=member-row]').first().textContent(), /\*\*\*\*/, 'phones masked');
  // Scrolled to the end, the last member is drawn (asked for as the window moved) and still few rows are.
  await page.getByTestId('member-table').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator(`[data-testid=member-row][data-index="${r.members - 1}"]`).waitFor();
  assert.ok((await page.locator('.vt-row').count()) < 120);
  assert.equal(await page.locator('.vt-row[data-index="0"]').count(), 0, 'the first rows left the page');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an RFM segment and a spend range built in the page list exactly those members, in the URL too', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  const r = await report(page);
  const champions = r.segments.rfm.find((s) => s.key === 'champions');
  assert.ok(champions.members > 10, 'the demo has champions');
  await addCondition(page, 'rfm');
  await page.locator('[data-testid=condition-editor] button.choice', { hasText: 'Champions' }).click();
  await waitTotal(page, champions.members);
  assert.equal(await page.getByTestId('member-revenue').textContent(), fmt.yuan(champions.revenue_cents));
  assert.equal(await page.getByTestId('member-share').textContent(), fmt.percent(champions.members / r.members));
  await page.getByTestId('editor-done').click();
  assert.equal(await page.getByTestId('filter-chip').textContent(), 'RFM segment: Champions×');

  // The spend bound: the champions whose lifetime spend reaches the median of theirs, counted here.
  const rows = await page.evaluate(() => window.memberDashboard.members({ all: [{ by: 'rfm', any: ['champions'] }] }, { limit: 100000 }).then((p) => p.rows));
  assert.equal(rows.length, champions.members);
  const spends = rows.map((m) => m.net_cents).sort((a, b) => a - b);
  const bound = Math.round(spends[Math.floor(spends.length / 2)] / 100);
  const expected = rows.filter((m) => m.net_cents >= bound * 100);
  assert.ok(expected.length > 0 && expected.length < rows.length);
  await addCondition(page, 'spend');
  await page.locator('[data-testid=condition-editor] input[data-bound=min]').fill(String(bound));
  await waitTotal(page, expected.length);
  assert.equal(await page.getByTestId('member-revenue').textContent(), fmt.yuan(expected.reduce((s, m) => s + m.net_cents, 0)));
  await page.getByTestId('editor-done').click();
  assert.deepEqual(await page.getByTestId('filter-chip').allTextContents(), ['RFM segment: Champions×', `Lifetime spend ≥ ${fmt.yuan(bound * 100)}×`]);
  // Every row drawn is one of them.
  const ids = new Set(expected.map((m) => m.id));
  for (const id of await page.locator('[data-testid=member-row]').evaluateAll((els) => els.map((e) => e.dataset.id))) {
    assert.ok(ids.has(id), `${id} is a champion spending at least ¥${bound}`);
  }

  // The URL holds the filter; a reload shows the same list.
  assert.deepEqual(await urlFilter(page), { all: [{ by: 'rfm', any: ['champions'] }, { by: 'spend', min: bound }] });
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await waitTotal(page, expected.length);
  assert.equal(await page.getByTestId('filter-chip').count(), 2);
  // Removing a condition widens the list again.
  await page.getByRole('button', { name: `Remove “Lifetime spend ≥ ${fmt.yuan(bound * 100)}”` }).click();
  await waitTotal(page, champions.members);
  assert.deepEqual(await urlFilter(page), { all: [{ by: 'rfm', any: ['champions'] }] });
  await page.getByTestId('clear-filter').click();
  await waitTotal(page, r.members);
  assert.equal(await urlFilter(page), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on data of its own: spend range, search and the figures are the members the test wrote', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  // Each member's purchases; spend is their sum.
  const buys = {
    A001: [120, 380], A002: [1500], A003: [40, 60, 55], B004: [999.5], B005: [1000], C006: [250, 250, 250, 250, 250],
    C007: [15], C008: [3000, -200], D009: [700], D010: [80, 90],
  };
  const lines = ['会员卡号,消费时间,实收金额'];
  let day = 1;
  for (const [id, amounts] of Object.entries(buys)) {
    for (const a of amounts) lines.push(`${id},2025-03-${String(day++ % 28 + 1).padStart(2, '0')},${a}`);
  }
  await page.evaluate(async (text) => window.memberDashboard.load([new File([text], 'own.csv')]), lines.join('\n'));
  const r = await report(page);
  assert.equal(r.members, 10);
  await waitTotal(page, 10);
  const spend = (id) => buys[id].reduce((s, a) => s + Math.round(a * 100), 0);
  const ids = Object.keys(buys);

  await addCondition(page, 'spend');
  await page.locator('[data-testid=condition-editor] input[data-bound=min]').fill('500');
  await page.locator('[data-testid=condition-editor] input[data-bound=max]').fill('1500');
  const inRange = ids.filter((id) => spend(id) >= 50000 && spend(id) <= 150000);
  await waitTotal(page, inRange.length);
  assert.equal(await page.getByTestId('member-revenue').textContent(), fmt.yuan(inRange.reduce((s, id) => s + spend(id), 0)));
  assert.equal(await page.getByTestId('member-share').textContent(), fmt.percent(inRange.length / 10));
  const shown = await page.locator('[data-testid=member-row]').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(shown.sort(), [...inRange].sort());
  await page.getByTestId('editor-done').click();

  // The search narrows within the filter: ids that contain "00" and start with B.
  await page.getByTestId('member-search').fill('B00');
  const found = inRange.filter((id) => id.includes('B00'));
  await waitTotal(page, found.length);
  assert.equal((await urlFilter(page)).search, 'B00');
  await page.getByTestId('member-search').fill('nobody-has-this');
  await waitTotal(page, 0);
  assert.ok(await page.getByTestId('member-empty').isVisible());
  assert.deepEqual(errors, []);
  await context.close();
});

test('a list opened from a chart says so, and the back button returns to the chart', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments' });
  const r = await report(page);
  const loyal = r.segments.rfm.find((s) => s.key === 'loyal');
  await page.getByTestId('open-loyal').click();
  await page.waitForFunction(() => location.hash.startsWith('#/members?filter='));
  await waitTotal(page, loyal.members);
  assert.equal(await page.getByTestId('member-origin').textContent(), 'From: Loyal');
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'the list opens at its top');
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#/segments');
  await page.getByTestId('rfm-table').waitFor();
  assert.equal(await page.getByTestId('member-list').count(), 0);
  await page.goForward();
  await waitTotal(page, loyal.members);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a header click sorts by its column and a second click turns the order round', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  const r = await report(page);
  await waitTotal(page, r.members);
  const spendHeader = page.locator('.vt-th[data-column="spend"]');
  // Highest spend first at the start.
  assert.equal(await spendHeader.getAttribute('aria-sort'), 'descending');
  // The spend shown in the first rows (whole yuan, as the page writes it).
  const firstSpends = () =>
    page.evaluate(() => {
      const col = [...document.querySelectorAll('.vt-th')].findIndex((th) => th.dataset.column === 'spend');
      return [...document.querySelectorAll('[data-testid=member-row]')].slice(0, 8).map((row) => Number(row.children[col].textContent.replace(/[¥,]/g, '')));
    });
  await page.locator('[data-testid=member-row][data-index="0"]').waitFor();
  const desc = await firstSpends();
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a), 'highest first');
  const topSpender = await page.locator('[data-testid=member-row]').first().getAttribute('data-id');
  await spendHeader.locator('button').click();
  await page.waitForFunction(() => document.querySelector('.vt-th[data-column="spend"]').getAttribute('aria-sort') === 'ascending');
  await page.waitForFunction((id) => document.querySelector('[data-testid=member-row]')?.dataset.id !== id, topSpender);
  const asc = await firstSpends();
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b), 'lowest first');
  assert.ok(asc[0] <= desc.at(-1));
  assert.match(await spendHeader.textContent(), /▲/);
  // Another column sorts by itself; its first click on a text column is A to Z.
  await page.locator('.vt-th[data-column="name"] button').click();
  assert.equal(await page.locator('.vt-th[data-column="name"]').getAttribute('aria-sort'), 'ascending');
  assert.equal(await spendHeader.getAttribute('aria-sort'), 'none');
  assert.deepEqual(errors, []);
  await context.close();
});

test('rows open with Enter and the arrow keys move between them; columns are chosen and kept', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  const r = await report(page);
  await waitTotal(page, r.members);
  const first = page.locator('[data-testid=member-row][data-index="0"]');
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), '2');
  await page.keyboard.press('ArrowUp');
  const id = await page.evaluate(() => document.activeElement.dataset.id);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), '1');
  await page.keyboard.press('Enter');
  await page.getByTestId('member-detail').waitFor();
  assert.match(await page.getByTestId('member-detail').textContent(), new RegExp(id));
  await page.keyboard.press('Escape');
  await page.getByTestId('member-detail').waitFor({ state: 'detached' });

  // A column added in the Columns menu shows, and is still there after a reload.
  await page.getByTestId('columns-menu').click();
  await page.locator('.columns-panel input[data-column="orders"]').check();
  await page.locator('.columns-panel input[data-column="phone"]').uncheck();
  await page.locator('.vt-th[data-column="orders"]').waitFor();
  assert.equal(await page.locator('.vt-th[data-column="phone"]').count(), 0);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.locator('.vt-th[data-column="orders"]').waitFor();
  assert.equal(await page.locator('.vt-th[data-column="phone"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a saved filter survives a reload; an unreadable saved list is ignored', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  const r = await report(page);
  const atRisk = r.segments.rfm.find((s) => s.key === 'at_risk');
  await addCondition(page, 'rfm');
  await page.locator('[data-testid=condition-editor] button.choice', { hasText: 'At risk' }).click();
  await waitTotal(page, atRisk.members);
  await page.getByTestId('editor-done').click();
  await page.getByTestId('save-filter').click();
  await page.getByTestId('save-filter-name').fill('Call back this week');
  await page.getByTestId('save-filter-ok').click();
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), SAVED_KEY));
  assert.deepEqual(saved, [{ name: 'Call back this week', filter: { all: [{ by: 'rfm', any: ['at_risk'] }] } }]);

  // Reloaded on the whole list, the saved filter brings the list back.
  await page.goto(app.base + '#/members');
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await waitTotal(page, r.members);
  await page.getByTestId('saved-filters').click();
  await page.locator('[data-testid=saved-filter] button.link', { hasText: 'Call back this week' }).click();
  await waitTotal(page, atRisk.members);
  assert.equal(await page.getByTestId('member-origin').textContent(), 'From: Call back this week');
  assert.deepEqual(await urlFilter(page), { all: [{ by: 'rfm', any: ['at_risk'] }] });

  // Garbage in the browser's storage: no saved filter, no error.
  await page.evaluate((k) => localStorage.setItem(k, '{"not": json'), SAVED_KEY);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.getByTestId('saved-filters').click();
  assert.equal(await page.getByTestId('saved-filter').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the table scrolls sideways in its box and the page does not', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members', viewport: { width: 390, height: 844 } });
  const r = await report(page);
  await waitTotal(page, r.members);
  const table = await page.getByTestId('member-table').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(table.scroll > table.client, `the table is wider than its box (${table.scroll} > ${table.client})`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page is not wider than the phone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('in Chinese the page speaks Chinese', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members', locale: 'zh-CN' });
  const r = await report(page);
  await waitTotal(page, r.members);
  await addCondition(page, 'rfm');
  await page.locator('[data-testid=condition-editor] button.choice').first().click();
  await page.getByTestId('editor-done').click();
  const text = await page.getByTestId('members-page').innerText();
  // Latin letters only in model names, RFM and the masked phones' digits.
  const latin = text.replace(/RFM|P\(alive\)|\b[RFM]\b/g, '').match(/[A-Za-z]{2,}/g);
  assert.equal(latin, null, `English on the Chinese page: ${latin}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a work-list filter brings the reason column, each row saying why', async () => {
  const filter = { all: [{ by: 'work_list', list: 'tier_upgrade' }] };
  const { page, context, errors } = await app.open({ hash: `#/members?filter=${encodeURIComponent(JSON.stringify(filter))}` });
  const r = await report(page);
  const n = await shownTotal(page);
  assert.equal(await page.getByTestId('filter-chip').textContent(), 'Work list: Tier upgrade candidates×');
  await page.locator('.vt-th[data-column="reason"]').waitFor();
  assert.ok(r.tiers.some((t) => t.upgrade_candidates > 0) && n > 0, 'the demo has upgrade candidates');
  const col = await page.evaluate(() => [...document.querySelectorAll('.vt-th')].findIndex((th) => th.dataset.column === 'reason'));
  const reason = await page.locator('[data-testid=member-row]').first().locator('.vt-td').nth(col).textContent();
  assert.match(reason, /^12-month spend ¥[\d,]+ fits \S+ \(now \S+\)$/);
  assert.deepEqual(errors, []);
  await context.close();
});
